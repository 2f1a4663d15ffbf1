"""A small knowledge base in four languages, written into tmp_path by the tests.

Five articles per language, the same ids everywhere: NPS, CSAT, empathy, refunds
through self-service, and time zones / support hours.
"""
from __future__ import annotations

from pathlib import Path

ARTICLES: dict[str, dict[str, str]] = {
    "en": {
        "metrics-nps": """---
id: metrics-nps
title: What is NPS (Net Promoter Score)?
tags: [nps, loyalty, survey, metrics]
related: [metrics-csat]
---
Net Promoter Score (NPS) measures how likely customers are to recommend us to a friend.
Customers answer one question on a scale from 0 to 10. NPS is the percentage of
promoters (9-10) minus the percentage of detractors (0-6).

- Promoters (9-10) are loyal enthusiasts who keep buying and refer others.
- Passives (7-8) are satisfied but unenthusiastic.
- Detractors (0-6) are unhappy customers who may leave.

We send the NPS survey a week after a ticket is closed; the quality team reads every
comment that comes with a score.
""",
        "metrics-csat": """---
id: metrics-csat
title: Customer satisfaction score (CSAT)
tags: [csat, satisfaction, survey, metrics]
related: [metrics-nps]
---
CSAT measures how satisfied a customer was with one conversation or ticket. Right after
the conversation the customer rates it from 1 to 5, and CSAT is the share of 4 and 5
ratings.

Unlike NPS, which asks about loyalty to the company, CSAT is about a single interaction.
""",
        "skill-empathy": """---
id: skill-empathy
title: Empathy in customer service
tags: [empathy, skills, feelings]
related: [refunds-self-service]
---
Empathy means understanding how the customer feels and showing it. Acknowledge the
feeling before solving the problem: "I understand how frustrating a late delivery is."
Customers who feel heard forgive mistakes more easily and stay longer.

Use the customer's name, do not interrupt, and repeat the problem in your own words.
""",
        "refunds-self-service": """---
id: refunds-self-service
title: Refunds through the self-service portal
tags: [refund, money back, self-service, portal]
related: [time-zones]
---
You can request a refund yourself in the self-service portal, under Orders, then
Request a refund. The money goes back to the card or account you paid with within
5-10 business days.

If an order is older than 30 days, the portal cannot refund it: write to us and an
agent will look at it.
""",
        "time-zones": """---
id: time-zones
title: Time zones and support hours
tags: [time zone, hours, schedule, utc]
---
Our support team works from 08:00 to 20:00 Athens time (EET, UTC+2), Monday to Friday.
Callback times are shown in your own time zone.

Messages sent outside these hours are answered the next working day.
""",
    },
    "el": {
        "metrics-nps": """---
id: metrics-nps
title: Τι είναι το NPS (Net Promoter Score);
tags: [nps, αφοσίωση, έρευνα, μετρικές]
related: [metrics-csat]
---
Το Net Promoter Score (NPS) μετρά πόσο πιθανό είναι να μας συστήσουν οι πελάτες σε
έναν φίλο. Οι πελάτες απαντούν σε μία ερώτηση σε κλίμακα από 0 έως 10. Το NPS είναι το
ποσοστό των υποστηρικτών (9-10) μείον το ποσοστό των επικριτών (0-6).

Στέλνουμε την έρευνα NPS μία εβδομάδα μετά το κλείσιμο του αιτήματος.
""",
        "metrics-csat": """---
id: metrics-csat
title: Δείκτης ικανοποίησης πελατών (CSAT)
tags: [csat, ικανοποίηση, έρευνα, μετρικές]
related: [metrics-nps]
---
Το CSAT μετρά πόσο ικανοποιημένος ήταν ο πελάτης από μία συνομιλία ή ένα αίτημα. Μετά
τη συνομιλία ο πελάτης βαθμολογεί από 1 έως 5, και το CSAT είναι το ποσοστό των
βαθμολογιών 4 και 5.

Σε αντίθεση με το NPS, που ρωτά για την αφοσίωση, το CSAT αφορά μία μόνο επικοινωνία.
Η σύντομη έρευνα στέλνεται αμέσως μετά τη συνομιλία.
""",
        "skill-empathy": """---
id: skill-empathy
title: Ενσυναίσθηση στην εξυπηρέτηση πελατών
tags: [ενσυναίσθηση, empathy, δεξιότητες, συναισθήματα]
related: [refunds-self-service]
---
Ενσυναίσθηση σημαίνει να καταλαβαίνουμε πώς νιώθει ο πελάτης και να του το δείχνουμε.
Αναγνωρίστε πρώτα το συναίσθημα και μετά λύστε το πρόβλημα: «Καταλαβαίνω πόσο
ενοχλητική είναι μια καθυστερημένη παράδοση». Οι πελάτες που νιώθουν ότι τους ακούμε
συγχωρούν ευκολότερα και μένουν περισσότερο.
""",
        "refunds-self-service": """---
id: refunds-self-service
title: Επιστροφή χρημάτων μέσω της πύλης αυτοεξυπηρέτησης
tags: [επιστροφή χρημάτων, αυτοεξυπηρέτηση, πύλη]
related: [time-zones]
---
Μπορείτε να ζητήσετε μόνοι σας επιστροφή χρημάτων στην πύλη αυτοεξυπηρέτησης, στην
ενότητα Παραγγελίες, Αίτημα επιστροφής. Τα χρήματα επιστρέφονται στην κάρτα ή στον
λογαριασμό πληρωμής μέσα σε 5-10 εργάσιμες ημέρες.
""",
        "time-zones": """---
id: time-zones
title: Ζώνες ώρας και ωράριο υποστήριξης
tags: [ζώνη ώρας, ωράριο, utc]
---
Η ομάδα υποστήριξης εργάζεται από τις 08:00 έως τις 20:00 ώρα Αθήνας (EET, UTC+2),
Δευτέρα έως Παρασκευή. Οι ώρες επανάκλησης εμφανίζονται στη δική σας ζώνη ώρας.
""",
    },
    "ru": {
        "metrics-nps": """---
id: metrics-nps
title: Что такое NPS (индекс потребительской лояльности)?
tags: [nps, лояльность, опрос, метрики, отзывы]
related: [metrics-csat]
---
NPS (Net Promoter Score) показывает, насколько охотно клиенты порекомендуют нас друзьям.
Клиент отвечает на один вопрос по шкале от 0 до 10. NPS — это доля промоутеров (9-10)
минус доля критиков (0-6).

Опрос NPS мы отправляем через неделю после закрытия обращения, а отзывы клиентов читает
команда качества.
""",
        "metrics-csat": """---
id: metrics-csat
title: Индекс удовлетворённости клиентов (CSAT)
tags: [csat, удовлетворённость, опрос, метрики]
related: [metrics-nps]
---
CSAT показывает, насколько клиент доволен одним разговором или обращением. После
разговора клиент ставит оценку от 1 до 5, и CSAT — это доля оценок 4 и 5.

В отличие от NPS, который говорит о лояльности, CSAT касается одного обращения.
""",
        "skill-empathy": """---
id: skill-empathy
title: Эмпатия в обслуживании клиентов
tags: [эмпатия, сочувствие, навыки, чувства]
related: [refunds-self-service]
---
Эмпатия — это умение понять, что чувствует клиент, и показать это. Сначала признайте
чувство, потом решайте проблему: «Понимаю, как неприятно, когда заказ задерживается».
Клиенты, которых услышали, легче прощают ошибки и остаются с нами дольше.
""",
        "refunds-self-service": """---
id: refunds-self-service
title: Возврат денег через личный кабинет
tags: [возврат, деньги, самообслуживание, личный кабинет]
related: [time-zones]
---
Вернуть деньги можно самостоятельно в личном кабинете: раздел «Заказы», затем «Оформить
возврат». Деньги возвращаются на карту или счёт, с которого вы платили, в течение 5-10
рабочих дней.
""",
        "time-zones": """---
id: time-zones
title: Часовые пояса и часы работы поддержки
tags: [часовой пояс, часы работы, расписание, utc]
---
Служба поддержки работает с 08:00 до 20:00 по афинскому времени (EET, UTC+2), с
понедельника по пятницу. Время обратного звонка показывается в вашем часовом поясе.
""",
    },
    "lt": {
        "metrics-nps": """---
id: metrics-nps
title: Kas yra NPS (grynasis rekomendacijos indeksas)?
tags: [nps, lojalumas, apklausa, rodikliai, atsiliepimai]
related: [metrics-csat]
---
NPS (Net Promoter Score) parodo, kaip noriai klientai mus rekomenduotų draugams. Klientas
atsako į vieną klausimą skalėje nuo 0 iki 10. NPS – tai rėmėjų (9-10) dalis atėmus
kritikų (0-6) dalį.
""",
        "metrics-csat": """---
id: metrics-csat
title: Klientų pasitenkinimo rodiklis (CSAT)
tags: [csat, pasitenkinimas, apklausa, rodikliai]
related: [metrics-nps]
---
CSAT parodo, kiek klientas buvo patenkintas vienu pokalbiu ar užklausa. Po pokalbio
klientas įvertina jį nuo 1 iki 5, o CSAT – tai 4 ir 5 įvertinimų dalis.

Kitaip nei NPS, kuris matuoja lojalumą, CSAT vertina vieną kontaktą.
""",
        "skill-empathy": """---
id: skill-empathy
title: Empatija klientų aptarnavime
tags: [empatija, įgūdžiai, jausmai]
related: [refunds-self-service]
---
Empatija – tai gebėjimas suprasti, ką jaučia klientas, ir tai parodyti. Pirmiausia
pripažinkite jausmą, tada spręskite problemą: „Suprantu, kaip nemalonu, kai užsakymas
vėluoja“. Klientai, kurie jaučiasi išklausyti, lengviau atleidžia ir lieka ilgiau.
""",
        "refunds-self-service": """---
id: refunds-self-service
title: Pinigų grąžinimas savitarnos svetainėje
tags: [grąžinimas, pinigai, savitarna, užsakymas]
related: [time-zones]
---
Pinigų grąžinimo galite paprašyti patys savitarnos svetainėje: skiltyje „Užsakymai“,
tada „Prašyti grąžinimo“. Pinigai grąžinami į tą pačią kortelę ar sąskaitą per 5-10
darbo dienų.
""",
        "time-zones": """---
id: time-zones
title: Laiko juostos ir pagalbos darbo laikas
tags: [laiko juosta, darbo laikas, utc]
---
Pagalbos komanda dirba nuo 08:00 iki 20:00 Atėnų laiku (EET, UTC+2), nuo pirmadienio iki
penktadienio. Atgalinio skambučio laikas rodomas jūsų laiko juostoje.
""",
    },
}


def write_articles(root: Path, articles: dict[str, dict[str, str]] = ARTICLES) -> Path:
    for language, by_id in articles.items():
        folder = root / language
        folder.mkdir(parents=True, exist_ok=True)
        for article_id, text in by_id.items():
            (folder / f"{article_id}.md").write_text(text, encoding="utf-8")
    return root
