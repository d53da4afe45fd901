"""The web chat's test corpus: our own sentences, English and Spanish, one article built to attack the page."""

from __future__ import annotations

import json
from pathlib import Path

ALMENDRO_EN = {
    "id": "almendro-en",
    "title": "Gunmen kill four police officers in Puerto Almendro",
    "date": "2021-03-06",
    "source": "Border Chronicle",
    "url": "https://example.org/chronicle/almendro-attack",
    "language": "en",
    "text": "Four police officers were killed on Saturday when gunmen attacked the town hall of Puerto Almendro, "
    "a river port in the state of Sonora, local authorities said.\n\n"
    "The attackers arrived in a convoy of twelve pickup trucks shortly before noon and fired on the building "
    "for almost an hour. Mayor Lucía Ferrán said the town had never seen such violence.\n\n"
    "Soldiers later killed six of the attackers in the hills north of the town.",
}
ALMENDRO_ES = {
    "id": "almendro-es",
    "title": "Mueren cuatro policías en un ataque armado en Puerto Almendro",
    "date": "2021-03-07",
    "source": "El Heraldo del Sur",
    "url": "https://example.org/heraldo/ataque-puerto-almendro",
    "language": "es",
    "text": "Cuatro policías estatales murieron el sábado cuando un grupo armado atacó la presidencia municipal "
    "de Puerto Almendro, en Sonora, informaron las autoridades.\n\n"
    "Los agresores llegaron en un convoy de doce camionetas poco antes del mediodía. La alcaldesa Lucía Ferrán "
    "dijo que el pueblo nunca había vivido tanta violencia.\n\n"
    "Más tarde, soldados abatieron a seis de los atacantes en los cerros al norte del pueblo.",
}
BAKERY_EN = {
    "id": "bakery-en",
    "title": "Harbor bakery wins the national bread prize",
    "date": "2021-02-10",
    "source": "Coastal Gazette",
    "url": "https://example.org/gazette/bread-prize",
    "language": "en",
    "text": "A family bakery on the Marlow harbor won the national bread prize on Tuesday for its rye sourdough. "
    "The owners, Tom and Ada Pell, bake four hundred loaves every night. "
    "The judges praised the crust and the slow fermentation.",
}
FESTIVAL_ES = {
    "id": "festival-es",
    "title": "El festival de cine de Aguasclaras abre con récord de público",
    "date": "2021-04-02",
    "source": "Diario Aguasclaras",
    "url": "https://example.org/diario/festival-cine",
    "language": "es",
    "text": "El festival de cine de Aguasclaras abrió el jueves con un récord de doce mil espectadores. "
    "La película inaugural fue un documental sobre pescadores del golfo. "
    "Los organizadores esperan superar los cincuenta mil asistentes en diez días.",
}
XSS_TITLE = "Hackers plant <script>alert('x')</script> and <img src=x onerror=alert(1)> on Northfield site"
XSS_EN = {
    "id": "xss-northfield",
    "title": XSS_TITLE,
    "date": "2021-05-03",
    "source": "Tech <b>Daily</b>",
    "url": "javascript:alert(1)",
    "language": "en",
    "text": "The Northfield city website was defaced on Monday with the code <script>alert('x')</script> "
    "planted in the council minutes page. "
    "The attackers also left an image tag <img src=x onerror=alert(1)> on the library page. "
    "Officials said no personal data was exposed and the website would be rebuilt by Friday.",
}
ARTICLES = [ALMENDRO_EN, ALMENDRO_ES, BAKERY_EN, FESTIVAL_ES, XSS_EN]

QUESTION_EN = "who was killed in Puerto Almendro?"
QUESTION_ES = "¿quién murió en Puerto Almendro?"
QUESTION_XSS = "What code was planted on the Northfield city website?"


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    return path
