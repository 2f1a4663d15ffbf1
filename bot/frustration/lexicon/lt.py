"""Lithuanian frustration lexicon (see bot.frustration.lexicon for the pattern syntax).

Stems cover the cases and verb forms ("kvail*": kvailas, kvaila, kvaili, kvailys);
folding makes "nesąmonė" and "nesamone" the same.
"""

PATTERNS = {
    "insult": [
        "kvail*", "apgavyst*", "idiot*", "durn*", "debil*", "bukagalv*", "asil*", "apgavik*", "sukčia*",
        "sukci*", "vagys", "vagi*", "melagi*", "po velniu*", "velniop", "velnias", "velniai",
        "šūdas", "šūdin*", "mėšl*", "nevykėl*", "nekompetenting*", "niekam tikę", "niekam tikus",
        "niekam tikęs", "gėdinga*", "gėda",
    ],
    "threat": [
        "nutrauk* sutart*", "nutrauksiu", "atsisakysiu", "atsisakau jūsų", "pereisiu", "pereinu pas",
        "konkurent*", "teism*", "advokat*", "teisinink*", "vartotojų teisių", "rašysiu skund*", "kontrolier*", "atšaukite viską", "nieko daugiau nenoriu", "nebenoriu", "pateiksiu skund*", "uždar* sąskait*", "einu pas kit*", "pereinu prie kit*",
        "parašysiu atsiliepim*", "blogą atsiliepim*", "grąžinkite pinig*", "grąžinkit pinig*",
        "daugiau niekada", "niekada daugiau", "paskutinį kartą", "uždarykite mano", "ištrinkite mano",
        "užteks", "man gana", "gana jau", "išeinu", "išeisiu",
    ],
    "repeat": [
        "iš viso skaitot*", "apskritai girdit*", "girdite mane", "antrą kartą", "kiekvieną mėnesį", "kiekvieną savaitę", "kiekvieną dieną", "taip ir ne*", "skaitote ką", "žadėjot*", "pažadėjot*", "trečią kartą", "ketvirtą kartą", "keturis kartus", "penkis kartus", "tris kartus", "du kartus", "keletą kartų", "penktą kartą", "kelintą kartą", "kiek kartų",
        "kiek galima", "jau rašiau", "jau sakiau", "jau klausiau", "jau aiškinau", "jau siunčiau",
        "jau skambinau", "jau kreipiausi", "vis dar ne*", "iki šiol ne*", "iki šiol lauk*", "vis dar lauk*", "vis tas pats",
        "tas pats atsakymas", "tą patį atsakymą", "tą patį klausimą", "kartoju", "kartotis",
        "niekas neatsako", "niekas neatsakė", "neatsakote", "neatsako", "ignoruoj*", "ignoruo*",
        "savaitę laukiu", "savaitę lauk*", "mėnesį laukiu", "jau savaitę", "jau mėnesį",
        "jau valandą", "visą valandą", "visą savaitę", "antrą dieną", "trečią dieną", "ir vėl",
        "vėl ir vėl",
    ],
    "complaint": [
        "nesąmon*", "ratu", "negali tęstis", "vadinamoji", "vadinamasis", "gailiuosi", "pokšt*", "nebetikiu", "netikiu", "nemokėsiu", "nė cento", "amžinyb*", "ar yra kas", "nesivargino", "padėjo ragel*", "kokia prasmė", "peržengia visas ribas", "visas ribas", "neįtikėtin* aptarnavim*", "kantryb*", "reikalauju", "apgailėtin*", "taip sunku", "nedelsiant", "absurd*", "siaub*", "baisu", "baisus", "baisi", "bjaur*", "šlykšt*",
        "nepriimtin*", "pasityčioj*", "tyčiojat*", "juokai", "juokas", "juokaujat*", "nusibodo",
        "atsibodo", "įgriso", "pabodo", "įkyrėjo", "nervina", "erzina", "pykstu", "piktas", "pikta",
        "įsiut*", "pasipiktin*", "nusivyl*", "beviltišk*", "beprasm*", "bevert*", "blogiausi*",
        "prasčiausi*", "gaišinat*", "gaištu laik*", "gaištat*", "laiko švaistym*", "jokios naudos",
        "visiškai nepadeda", "nepadedate", "nepadeda", "ačiū už nieką", "dėkui už nieką",
        "kas per", "kas čia per", "ką jūs sau leidžiate", "neįtikėtina", "neįmanoma susisiekti",
        "košmar*", "katastrof*", "kaip visada",
    ],
    "again": ["vėl", "vel", "dar kartą", "nuolat", "visada", "kiekvieną kartą", "kaskart", "ir vėl"],
    "human": [
        "gyv* žmog*", "tikr* žmog*", "žmog*", "operator*", "konsultant*", "vadov*", "darbuotoj*",
        "specialist*", "vadybinink*",
    ],
    "problem": [
        "neveikia", "nebeveikia", "užlūž*", "pakib*", "strigo", "stringa", "nepavyksta", "negaunu", "negavau", "neatėjo", "neatkeliavo",
        "klaid*", "sugedo", "sugedęs", "dingo", "nuskaičiavo dukart", "nuskaičiavo du kartus",
        "nieko neveikia", "vėluoja", "pavėlav*"
    ],
    "positive": [
        "su naujaisiais", "su šventėmis", "linksmų šv*", "sveikinu",
        "ačiū", "aciu", "dėkoju", "dėkui", "dėking*", "puik*", "super*", "nuostab*", "šaun*",
        "valio", "myliu", "pagaliau veikia", "džiaug*", "geriausi*", "labai padėjot*",
        "padėjote", "sekasi", "patink*", "fantastišk*", "įspūding*",
    ],
}
