"""A small, fast language guess from stopword ratios; no models, no network.

Function words are the most frequent tokens of any running text, so the share of a
language's stopwords among the tokens separates languages well on a few hundred words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["detect_language", "stopword_ratio"]

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        ["the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "they", "you", "were", "her", "she", "there", "been", "one", "all", "we", "their", "has", "would", "when", "will", "more", "if", "no", "out", "so", "up", "what", "its", "about", "into", "than", "them", "can", "only", "other", "some", "could", "these", "two", "may", "do", "such", "our", "after", "most", "also", "did", "over", "any", "who", "how", "where", "those", "should", "because", "each", "between", "under", "while", "being", "does", "very", "through", "against"]
    ),
    "es": frozenset(
        ["de", "la", "que", "el", "en", "y", "los", "se", "del", "las", "un", "por", "con", "no", "una", "su", "para", "es", "al", "lo", "como", "más", "pero", "sus", "le", "ya", "o", "este", "fue", "ha", "sí", "porque", "esta", "son", "entre", "cuando", "muy", "sin", "sobre", "también", "me", "hasta", "hay", "donde", "quien", "desde", "todo", "nos", "durante", "todos", "uno", "les", "ni", "contra", "otros", "ese", "eso", "ante", "ellos", "esto", "antes", "algunos", "qué", "unos", "yo", "otro", "otras", "otra", "él", "tanto", "esa", "estos", "mucho", "quienes", "nada", "muchos", "cual", "poco", "ella", "estar", "estas", "algunas", "algo", "nosotros", "mi", "mis", "tu", "te", "ti", "tus", "ellas", "nosotras", "vosotros", "os", "mío", "tuyo", "suyo", "nuestro", "están", "han"]
    ),
    "fr": frozenset(
        ["le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "est", "que", "qui", "dans", "pour", "pas", "sur", "au", "aux", "avec", "ce", "ces", "par", "plus", "ne", "se", "sont", "il", "elle", "ils", "nous", "vous", "leur", "mais", "ou", "son", "sa", "ses", "été", "être", "cette", "comme"]
    ),
    "pt": frozenset(
        ["de", "que", "não", "uma", "os", "no", "se", "na", "por", "mais", "as", "dos", "como", "mas", "foi", "ao", "ele", "das", "tem", "à", "seu", "sua", "ou", "ser", "quando", "muito", "há", "nos", "já", "está", "eu", "também", "só", "pelo", "pela", "até", "isso", "ela", "entre", "era", "depois", "sem", "mesmo", "aos", "ter", "seus", "quem", "nas", "esse", "eles", "estão", "você", "essa", "num", "nem", "suas", "meu", "às", "minha", "numa", "pelos", "elas", "havia", "seja", "qual", "será", "nós", "tenho", "lhe", "deles", "essas", "esses", "pelas", "este"]
    ),
}

_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
_MIN_HITS = 5
_MIN_RATIO = 0.08


def _tokens(texts: Iterable[str], limit: int) -> list[str]:
    tokens: list[str] = []
    for text in texts:
        tokens.extend(t.lower() for t in _TOKEN.findall(text))
        if len(tokens) >= limit:
            break
    return tokens[:limit]


def stopword_ratio(text: str) -> float:
    """Share of tokens that are stopwords of any known language (a 'this is prose' signal)."""
    tokens = _tokens([text], 5000)
    if not tokens:
        return 0.0
    every = frozenset().union(*_STOPWORDS.values())
    return sum(t in every for t in tokens) / len(tokens)


def detect_language(texts: Iterable[str], *, max_tokens: int = 4000) -> str:
    """ISO 639-1 code of the most likely language, or ``"und"`` when the text is too thin."""
    tokens = _tokens(texts, max_tokens)
    if not tokens:
        return "und"
    best, best_hits = "und", 0
    for lang, words in _STOPWORDS.items():
        hits = sum(t in words for t in tokens)
        if hits > best_hits:
            best, best_hits = lang, hits
    if best_hits < _MIN_HITS or best_hits / len(tokens) < _MIN_RATIO:
        return "und"
    return best
