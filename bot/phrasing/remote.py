"""Rasa's NLG client for the handoff service's endpoint, with a local fallback.

endpoints.yml names this class (``nlg: type: ...``). Every response is asked from the
NLG endpoint (POST /nlg, Rasa's own callback protocol); only when the handoff service
cannot be reached (connection refused, timeout, a 5xx answer) is the same response
rendered here, by the same code (bot/phrasing/render.py), so the customer still gets the
answer while that service restarts. A 4xx answer (unknown response, bad token) is a
mistake to see, not to hide: it is raised as Rasa would.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional, Text

import aiohttp
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot.phrasing.render import nlg_reply

logger = logging.getLogger(__name__)


class FallbackNaturalLanguageGenerator(CallbackNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig, domain: Optional[Domain] = None) -> None:
        super().__init__(endpoint_config)

    async def generate(
        self,
        utter_action: Text,
        tracker: DialogueStateTracker,
        output_channel: Text,
        **kwargs: Any,
    ) -> Dict[Text, Any]:
        try:
            return await super().generate(utter_action, tracker, output_channel, **kwargs)
        except ClientResponseError as error:
            if error.status < 500:
                raise
            reason = f"status {error.status}"
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            reason = type(error).__name__
        logger.warning("conversation %s: NLG endpoint unavailable (%s), %s rendered locally",
                       tracker.sender_id, reason, utter_action)
        return nlg_reply(utter_action, tracker.current_state(EventVerbosity.ALL), kwargs)
