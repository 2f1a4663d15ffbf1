"""English frustration lexicon (see bot.frustration.lexicon for the pattern syntax)."""

PATTERNS = {
    "insult": [
        "stupid*", "idiot*", "moron*", "dumb*", "useless bot*", "pathetic*", "incompetent*",
        "clown*", "crap*", "shit*", "damn*", "bloody", "wtf", "fuck*", "fck*", "screw you",
        "brainless", "scam*", "scammer*", "thieves", "liars", "rip off", "ripoff",
    ],
    "threat": [
        "cancel* my subscription*", "cancel* my account*", "cancel* my contract*", "close my account*",
        "i'm leaving", "i am leaving", "i'll leave", "i will leave", "switch* to another",
        "competitor*", "ombudsman", "regulator", "cancel everything", "cancel it all", "don't want anything", "closing my account", "close my account", "going elsewhere", "take my business elsewhere", "taking my business", "elsewhere", "never again",
        "never buy*", "never order*", "never use* you*", "lawyer*", "sue you", "legal action",
        "consumer protection", "chargeback", "report you*", "bad review*", "refund* or else",
        "last chance", "done with you*", "i'm done", "i am done", "had enough", "move* my money",
    ],
    "repeat": [
        "even read", "read what i", "even listening", "are you listening", "second time", "every single", "every month", "every week", "every day", "despite", "promises", "you promised", "promised me", "third time", "fourth time", "four times", "five times", "twice", "three times", "times already", "3 times", "4 times", "fifth time", "how many times", "many times",
        "already told", "already explained", "already asked", "already sent", "already wrote",
        "keep asking", "keep telling", "keep getting", "keeps happening", "still not", "still no",
        "still haven't", "still hasn't", "still don't", "still doesn't", "still isn't",
        "still waiting", "still broken", "over and over", "again and again", "same answer*",
        "same question", "same thing", "repeat* myself", "weeks now", "days now", "hours now",
        "for weeks", "for days", "nobody answer*", "no one answer*", "no one respond*",
        "nobody respond*", "no reply", "no response", "never answer*", "ignor*",
    ],
    "complaint": [
        "useless", "terrible", "in circles", "can't go on", "so-called", "regret*", "prank", "don't believe", "not paying", "not a cent", "forever", "anyone there", "anybody there", "even bothered", "hung up", "disappoint*", "what is the point", "what's the point", "beyond a joke", "enough is enough", "patience", "i demand", "so hard", "immediately", "horrible", "awful", "ridiculous", "unacceptable", "disgrace*",
        "disgusting", "outrageous", "joke", "a joke", "nonsense", "fed up", "sick of", "tired of",
        "waste of time", "wasting my time", "wasted", "worst", "hopeless", "shambles", "furious",
        "angry", "annoyed", "annoying", "frustrat*", "sick and tired", "unbelievable", "absurd",
        "thanks for nothing", "not helpful at all", "no help at all", "you're not helping",
        "you are not helping", "doesn't help", "useless answer*", "pointless", "ruin*",
        "embarrassing", "shameful", "shame on you", "seriously", "are you kidding",
        "kidding me", "what the hell", "hell", "nightmare", "clueless",
    ],
    "again": ["again", "yet again", "once more", "keep*", "still", "every time", "always"],
    "human": [
        "real person", "real human", "actual person", "actual human", "human being", "talk to a human",
        "a human", "a person", "an agent", "live agent", "manager", "supervisor", "someone competent",
    ],
    "problem": [
        "not working", "doesn't work", "crashed", "froze", "frozen", "stuck", "does not work", "isn't working", "broken", "failed",
        "fails", "crash*", "can't log*", "cannot log*", "charged twice", "lost", "missing",
        "wrong", "no one", "nobody", "nothing works", "error*", "declined", "late", "delayed",
    ],
    "positive": [
        "happy new year", "merry christmas", "happy holidays", "best wishes",
        "thank*", "thx", "ty", "cheers", "great", "awesome", "amazing", "perfect", "wonderful",
        "love", "lovely", "brilliant", "excellent", "fantastic", "appreciate*", "helpful", "yay",
        "happy", "glad", "finally works", "works now", "solved", "congrat*", "wow",
    ],
}
