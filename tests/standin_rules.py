"""A stand-in for the rules engine in pipeline tests: one word makes a ceasefire violation."""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.models import Category, Entities, Event, Item, Severity


@dataclass(frozen=True)
class WordRules:
    """Fires on every item whose title (or, unless ``title_only``, summary) holds ``word``."""

    word: str
    title_only: bool = False
    entities: Entities = field(default_factory=Entities)

    def classify(self, item: Item) -> list[Event]:
        text = item.title if self.title_only else item.text
        if self.word not in text.lower():
            return []
        return [
            Event(
                item_key=item.key,
                feed=item.feed,
                category=Category.CEASEFIRE_VIOLATION,
                severity=Severity.HIGH,
                rule=f"test.{self.word}",
                matched=item.title,
                entities=self.entities,
                published=item.published,
                title=item.title,
                link=item.link,
            )
        ]
