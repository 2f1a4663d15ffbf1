"""How the assistant words its messages."""
