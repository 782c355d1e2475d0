/**
 * The offline analyzer's sense of direction: tone phrases and words in Russian and English,
 * negators and denials, and the rules that turn them into a signed score (docs/ANALYSIS.md,
 * "Direction"). Matched in the lexicon's one walk over the words of a text.
 *
 * @module
 */
import {
  BAN_WORDS,
  patternSet,
  scan,
  type SetEntry,
  type SetMatch,
  setMatches,
  type Span,
  WORD,
} from "./offline_lexicon.ts";

interface TonePayload {
  polarity: 1 | -1;
  weight: number;
  /** A hack or an outage: denying one ("was not hacked") is relief, not good news. */
  incident?: boolean;
  /** Something a company may or may not do (buy): not doing it is no news. */
  action?: boolean;
  /** Means the same whoever the subject is ("cooler than expected" after "CPI"). */
  absolute?: boolean;
}

function tone(
  polarity: 1 | -1,
  weight: number,
  patterns: string[],
  cs = false,
): SetEntry<TonePayload> {
  return { patterns, payload: { polarity, weight }, caseSensitive: cs };
}

/** Buying: not buying ("did not buy any bitcoin") is no event, not bad news. */
function action(patterns: string[]): SetEntry<TonePayload> {
  return { patterns, payload: { polarity: 1, weight: 1, action: true } };
}

function incident(patterns: string[]): SetEntry<TonePayload> {
  return { patterns, payload: { polarity: -1, weight: 2, incident: true } };
}

/** Phrases that must win over the single words inside them ("drops lawsuit" is not a price drop). */
const SENTIMENT_PHRASES = patternSet<TonePayload>([
  // Already say what inflation means for the market: never turned around by "CPI" before them.
  { patterns: ["cooler than expected"], payload: { polarity: 1, weight: 2, absolute: true } },
  { patterns: ["hotter than expected"], payload: { polarity: -1, weight: 2, absolute: true } },
  tone(1, 2, [
    "rate cut*",
    "cut* (?:interest )?rates",
    "lower* (?:interest )?rates",
    "сниз* (?:ключевую |процентные |учетную |учётную )?ставк*",
    "снижени* (?:ключевой |процентных )?ставк*",
    "пониз* ставк*",
    "drop* (?:the |its |a )?(?:lawsuit|case|charges)",
    "dismiss* (?:the )?(?:\\p{L}+ )?(?:\\p{L}+ )?(?:lawsuit|case|charges)",
    "отозвал* иск*",
    "не признан* ценн* бумаг*",
    "not (?:a )?securit*",
    "legal tender",
    "withdr* from exchange*",
    "вывел* с бирж*",
    "принима* оплат*",
    "will list",
    "to list",
    "went live",
    "goes live",
    "all-time high",
    "record high",
    "исторически* максимум*",
    "(?:strategic|state|national|federal) (?:\\p{L}+ )?reserve",
    "green ?light*",
    "attract*",
    "(?:brings?|brought|bringing) in",
    "(?:пришл[оиа]|зашл[оиа]) \\$?\\d+",
    "popp*",
    "start* trading",
    "(?:запуст*|откры*) (?:\\p{L}+ )?торг*",
    "settl* (?:\\p{L}+ )?payments",
    "(?:проводит*|принима*) (?:\\p{L}+ )?платеж*",
    "month high*",
    "выжал* (?:\\p{L}+ )?шорт*",
    "шортист* (?:\\p{L}+ )?(?:ликвидир*|в шоке|потерял*)",
    "(?:block*|заблокировал*|отменил*|strikes? down|struck down) (?:\\p{L}+ ){0,3}(?:rule|правил*|требовани*) (?:SEC|регулятор*)",
    "block* (?:the )?(?:SEC|regulator)['’]s",
    "okay*",
    "okays",
    "gets the nod",
    "(?:выдал*|получил*) (?:\\p{L}+ )?лицензи*",
    "cut* (?:its |the )?(?:key |benchmark |policy |interest )?rate*",
    "new record*",
    "reach* (?:a )?record*",
    "установил* рекорд*",
    "достиг* рекордн*",
    "(?:raised|increased|boosted) (?:its |their )?(?:\\p{L}+ )?stake",
    "нарастил*",
    "tripl*",
    "quadrupl*",
    "on fire",
    "lead* (?:the )?(?:\\p{L}+ )?(?:gains|rally)",
    "лидиру* по рост*",
    "возглавил* (?:\\p{L}+ )?ралли",
    "лучш* (?:день|неделю|неделя|месяц|год|квартал)",
    "rip* higher",
    "(?:supply|предложени*) (?:\\p{L}+ ){0,3}(?:grows|grew|rises|rose|expands|вырос*|раст[её]т)",
    "подключил* (?:\\p{L}+ )?оплат*",
    "скупил*",
    "скупа*",
    "scoop* up",
    "зел[её]н* свет",
    "go-ahead",
    "дал* добро",
    "lift* (?:its |the |a )?(?:\\p{L}+ )?ban",
    "снял* (?:\\p{L}+ )?запрет*",
    "отменил* (?:\\p{L}+ )?запрет*",
    "unban*",
    "tax cut*",
    "cut* (?:\\p{L}+ )?tax*",
    "сниз* налог*",
    "снижени* налог*",
    "отмен* налог*",
    "снижа* (?:ключевую |процентные )?ставк*",
    "(?:inflation|cpi) (?:\\p{L}+ ){0,4}(?:slows|slowed|cools|cooled|eases|eased)",
    "замедлени* инфляци*",
    "инфляци* (?:\\p{L}+ ){0,4}замедлил*",
    "стратегическ* резерв*",
    "(?:биткоин|bitcoin) резерв*",
    "резерв* (?:биткоин*|bitcoin)",
    "(?:bought|buys|buying|purchased) (?:another|more)",
    "adds \\$?\\d+(?:[.,]\\d+)?\\p{L}?",
    "adds another",
    "add* (?:support|trading)",
    "added to (?:\\p{L}+ )?(?:binance|coinbase|kraken|okx|bybit|robinhood|spot)",
    "добавил* (?:\\p{L}+ ){0,2}на (?:спот|бирж*)",
    "добав* (?:\\p{L}+ )?(?:торгов*|поддержк*|листинг*)",
    "short squeeze",
    "shorts (?:are |getting |got |get )?(?:wrecked|squeezed|liquidated|rekt)",
    "шорт* (?:в шоке|ликвидир*)",
    "throw* out (?:\\p{L}+ ){0,4}(?:lawsuit|case|suit|charges)",
    "toss* (?:\\p{L}+ ){0,4}(?:lawsuit|case|suit|charges)",
    "иск* закрыт*",
    "дело закрыт*",
    "закрыл* (?:дело|иск*)",
    "не являет* ценн* бумаг*",
    "не был* ценн* бумаг*",
    "drop* (?:its |the |an |their )?appeal",
    "отозвал* (?:свою )?апелляци*",
    "(?:улет*|полет*|пош[её]л*|рван*) вверх",
    "double digits",
    "break* out",
    "breakout",
    "вышел из (?:\\p{L}+ )?боковик*",
    "добавил* (?:\\p{L}+ )?оплат*",
    "вернул* выше",
  ]),
  tone(-1, 4, [
    "dim* (?:the )?hopes",
    "hopes (?:\\p{L}+ ){0,4}(?:fad*|dim*|vanish*)",
    "надежд* (?:\\p{L}+ ){0,5}(?:та[юя]т|угас*|рухнул*)",
  ]),
  tone(1, 1.5, [
    "extend* gains",
    "tops \\$",
    "crosses \\$",
    "surpass*",
    "raise* (?:\\p{L}+ )?(?:price )?target*",
    "повысил* (?:\\p{L}+ )?(?:прогноз*|цел*)",
    "upgrade* to (?:buy|outperform)",
    "demand (?:[\\p{L}-]+ ){0,3}(?:rises|grows|surges|jumps)",
    "спрос* (?:\\p{L}+ )?раст[её]т",
  ]),
  tone(-1, 1.5, [
    "extend* losses",
    "erase* (?:\\p{L}+ )?gains",
    "wipe* out",
    "cut* (?:\\p{L}+ )?(?:price )?target*",
    "понизил* (?:\\p{L}+ )?(?:прогноз*|цел*)",
    "downgrad*",
    "unload*",
    "сбросил*",
    "rug pull*",
  ]),
  // Words that look like news but are not: "the worst since launch", a review extended.
  tone(1, 0, [
    "since (?:its |the )?launch",
    "launch date",
    "дат* запуск*",
    "extend* (?:its |the )?review",
    "delay* (?:its |the |a )?decision",
    "postpon* (?:its |the |a )?decision",
    "отложил* (?:\\p{L}+ )?решени*",
    "перен[её]с* (?:\\p{L}+ )?решени*",
    "решени* (?:\\p{L}+ )?перенес*",
    "решени* (?:\\p{L}+ )?отложен*",
    "pause in",
    "продлил* (?:срок )?рассмотрени*",
  ]),
  tone(1, 1.5, [
    "year high*",
    "relist*",
    "вернул* (?:\\p{L}+ )?в листинг",
    "flip* (?:[\\p{L}\\p{N}$.,]+ ){0,2}into support",
    "закрепил* (?:выше|над)",
    "holds? above",
    "держится выше",
    "side* with",
    "pull* in",
    "обновил* рекорд*",
    "adds (?:\\p{L}+ )?payouts",
    "добавил* выплат*",
    "улета*",
    "(?:weekly|monthly|fresh|local) high*",
    "(?:недельн*|месячн*|нов*|локальн*) (?:хай|максимум*)",
    "bulls (?:are )?back",
    "быки вернул*",
    "pass* (?:the |a )?(?:\\p{L}+ )?(?:bill|law)",
    "принял* закон*",
    "закупа*",
    "добавил* (?:ещ[её] )?\\d+",
    "best (?:day|week|month|year|since)",
    "new high*",
    "новый хай",
    "новый максимум",
    "максимум* за",
    "обновил* (?:исторический )?максимум*",
    "обновил* ATH",
    "new ath",
    "broke (?:above |through |past )?\\$?\\d+(?:[.,]\\d+)?\\p{L}?",
    "breaks (?:above |through |past )?\\$?\\d+(?:[.,]\\d+)?\\p{L}?",
    "пробил* \\$?\\d+(?:[.,]\\d+)?\\p{L}?",
    "fresh (?:money|liquidity|capital|inflows)",
    "new money",
    "нов* деньг*",
    "свеж* деньг*",
    "back into (?:the )?(?:market|crypto)",
    "ликвидност* (?:на рынке )?стан* больше",
    "above expectations",
    "better than expected",
    "beat* expectations",
    "выше ожидани*",
    "выше прогноз*",
    "ready to rip",
    "готов* к рывку",
  ]),
  tone(1, 1, [
    "files to",
    "files for",
    "filed for",
    "filed to",
    "подал* заявк*",
    "closed (?:the day |the week )?(?:in the )?green",
    "плюсе",
    "зел[её]н* зон*",
    "предложени* сокраща*",
    "supply (?:shrinks|drops|falls)",
  ]),
  tone(1, 1.5, [
    "rul* in favou?r of",
    "rul* for",
    "решил* в пользу",
    "cleared of",
    "acquitt*",
  ]),
  tone(-1, 1.5, [
    "rul* against",
    "решил* против",
    "found guilty",
    "pleaded guilty",
    "pleads guilty",
    "convicted",
    "sentenced",
    "признал* виновн*",
    "осужд[её]н*",
    "приговорил*",
  ]),
  tone(-1, 2, [
    "rate hike*",
    "hike* (?:interest )?rates",
    "raise* (?:interest )?rates",
    "повы[сш]* (?:ключевую |процентные )?ставк*",
    "потерял* привязк*",
    "lost (?:its |the )?peg",
    "sell-off",
    "selloff",
    "tax hike*",
    "raise* tax*",
    "повыш* налог*",
    "повыс* налог*",
  ]),
  tone(-1, 1, [
    "(?:moved|sent|transferred) (?:[\\d.,]+k? )?(?:\\p{L}+ )?(?:\\p{L}+ )?to (?:binance|coinbase|kraken|okx|bybit|an exchange|exchanges)",
    "перев[её]л* (?:[\\d.,\\s]+ )?(?:\\p{L}+\\.? )?(?:\\p{L}+ )?на (?:бирж*|binance|coinbase|kraken|okx|bybit)",
    "(?:moved|sent|transferred) from (?:\\p{L}+ ){0,4}to (?:binance|coinbase|kraken|okx|bybit|an exchange|exchanges)",
    "prices down",
    "минусе",
    "red open",
    "not happy",
    "unhappy",
    "недовольн*",
    "soured",
  ]),
  tone(-1, 1.5, [
    "year low*",
    "month low*",
    "lowest price",
    "pull* (?:\\p{L}+ )?(?:money|cash|funds) out",
    "забира* (?:\\p{L}+ )?деньг*",
    "отош[её]л* от привязк*",
    "off (?:its |the )?peg",
    "пошатнул*",
    "разблокиру*",
    "подня* (?:ключевую |процентную )?ставк*",
    "поднима* (?:ключевую |процентную )?ставк*",
    "withdrawals (?:\\p{L}+ )?(?:spike|spikes|surge|surges|jump|jumps|rise|rises)",
    "record low*",
    "исторически* минимум*",
    "ужесточ*",
    "tighten* (?:\\p{L}+ )?(?:rules|regulation*|oversight|requirements)",
    "add* (?:\\p{L}+ )?(?:fines|penalt*|taxes|restrictions)",
    "ввод* (?:\\p{L}+ )?(?:штраф*|ограничени*|налог*)",
    "reinstat* (?:the |a )?(?:\\p{L}+ )?(?:case|lawsuit|charges)",
    "reviv* (?:the |a )?(?:\\p{L}+ )?(?:case|lawsuit)",
    "возобновил* (?:\\p{L}+ )?(?:дело|иск*|расследовани*)",
    "fears? (?:\\p{L}+ )?(?:grow*|rise*|rising|mount*)",
    "опасени* (?:\\p{L}+ )?раст*",
    "под давлени*",
    "under pressure",
    "down bad",
    "lead* (?:the )?(?:\\p{L}+ )?losses",
    "лидиру* по падени*",
    "худш* (?:день|неделю|неделя|месяц|год|квартал)",
    "outlaw*",
    "жёстк* мер*",
    "жестк* мер*",
    "продают",
    "wobbl*",
    "run on (?:\\p{L}+ )?deposits",
    "(?:улет*|полет*|ушл*|уш[её]л|пош[её]л*|провалил*) вниз",
    "worst (?:day|week|month|year|since)",
    "lowest (?:since|in|level)",
    "минимум* (?:за|с|со)",
    "минимуме",
    "(?:fell|dropped|slid|sank|dipped|plunged|went) below",
    "(?:ушел|ушёл|упал*|опустил*|просел*|провалил*) ниже",
    "below \\$?\\d+(?:[.,]\\d+)?\\p{L}?",
    "ниже \\$?\\d+(?:[.,]\\d+)?\\p{L}?",
    "below expectations",
    "worse than expected",
    "ниже ожидани*",
    "ниже прогноз*",
    "(?:blowout|strong|hot|robust) jobs",
    "сильн* (?:данн* )?(?:по )?рын* труда",
    "longs (?:were |are |got |get |getting )?(?:liquidated|wiped out|rekt)",
    "лонг* ликвидир*",
    "ликвидирова* лонг*",
    "block* (?:the |a )?(?:\\p{L}+ )?(?:bill|law|deal|proposal|merger)",
    "заблокировал* (?:\\p{L}+ )?законопроект*",
    "(?:ordered|orders|order) (?:\\p{L}+ ){0,3}to (?:stop|halt|cease)",
    "no hurry to cut",
    "не тороп* (?:со )?снижать",
    "blacklist*",
    "заблокировал*",
    "(?:отправил*|перев[её]л*|перевели) (?:\\p{L}+ ){0,3}на бирж*",
    "shed*",
    "yank*",
    "block* \\$\\d+(?:[.,]\\d+)?\\p{L}?",
    "забрал*",
    "redemption*",
    "withdr* from (?:\\p{L}+ )?(?:etf*|fund*)",
    "risk assets (?:lower|down|fall*|slid*|drop*)",
    "рисков* актив* дешеве*",
    "(?:hot|hotter) (?:cpi|ppi|inflation)",
    "горяч* данн*",
    "fails",
    "failed",
    "остановил* вывод*",
    "кровоточ*",
    "pull* (?:\\$?[\\d.,]+\\p{L}? )?out",
    "вывел* (?:\\$?[\\d.,]+ )?(?:\\p{L}+ )?из (?:ETF|фонд*|USD\\p{L}*|стейбл*)",
    "вывод* деньг*",
    "просед*",
    "подал* в суд",
    "подал* иск*",
    "stop serving",
  ]),
]);

const SENTIMENT_WORDS = patternSet<TonePayload>([
  tone(-1, 1, ["tax", "taxes", "налог*", "levy", "levies"]),
  tone(-1, 1, ["probe*", "subpoena*", "raid*", "seiz*", "изъял*", "изъят*"]),
  tone(1, 1, ["adds", "добавил*"]),
  // The dollar strengthening is bad for crypto: "доллар укрепляется" turns around by its subject.
  tone(1, 1, ["strengthen*", "укрепля*", "укрепил*"]),
  tone(-1, 1, ["weaken*", "ослаб*"]),
  tone(1, 2, [
    "approv*",
    "одобр*",
    "legaliz*",
    "legalis*",
    "легализ*",
    "rall[yi]*",
    "surg*",
    "soar*",
    "bullish",
    "бычь*",
  ]),
  tone(1, 1.5, [
    "jump*",
    "inflow*",
    "приток*",
    "подорожал*",
    "взлетел*",
    "подскочил*",
    "wins",
    "won",
  ]),
  tone(1, 1.5, ["ATH"], true),
  tone(1, 1.5, [
    "moon*",
    "skyrocket*",
    "parabolic",
    "bounc*",
    "spik*",
    "green candle*",
    "send* it",
    "космос",
    "луну",
    "ракет*",
    "иксы",
    "утроил*",
    "пампят",
    "пампит",
    "улетел*",
    "explod*",
    "взорвал*",
    "reclaim*",
    "ripping",
    "рывк*",
    "burn*",
    "сж[её]г",
    "сжига*",
    "сжечь",
    "buyback*",
    "выкуп*",
    "докупил*",
    "закупил*",
    "победил*",
    "выиграл*",
    "mints",
    "minted",
  ]),
  action([
    "buy",
    "buys",
    "bought",
    "buying",
    "купил*",
    "купило",
    "покупа*",
    "accumulat*",
    "накоплени*",
    "накаплива*",
  ]),
  tone(1, 1.5, ["зашл[оиа]", "заш[её]л", "poured in*", "flowed in*"]),
  tone(1, 1, [
    "взмыл*",
    "взмет*",
    "привлек*",
    "привл[её]к*",
    "разреши*",
    "разрешат*",
    "разреш[её]н*",
    "allow*",
    "lets",
    "doubl*",
    "удвоил*",
    "pump*",
    "памп*",
    "отскочил*",
    "отскакива*",
    "дорожа*",
    "покупк*",
    "purchas*",
    "поднял*",
  ]),
  tone(1, 1, [
    "gain*",
    "rise",
    "rises",
    "rising",
    "rose",
    "climb*",
    "grow*",
    "rebound*",
    "recover*",
    "отскок*",
    "восстанов*",
    "вырос*",
    "раст[её]т",
    "рост*",
    "partner*",
    "партн[её]рств*",
    "сотрудничеств*",
    "adopt*",
    "внедр*",
    "integrat*",
    "интегрир*",
    "accept*",
    "listing",
    "листинг*",
    "lists",
    "listed",
    "boost*",
    "улучш*",
    "improv*",
    "outperform*",
    "optimis*",
    "оптимизм*",
    "clarity",
    "ясност*",
    "dismiss*",
    "оправда*",
    "встал* на сторону",
    "completed",
    "successful*",
    "успешн*",
    "запустил*",
  ]),
  tone(1, 0.5, ["mint*", "issued", "выпустил*"]),
  tone(1, 1, ["launch*", "запуск*", "took in", "pulled in", "catch* a bid"]),

  incident([
    "hack",
    "hacks",
    "hacked",
    "hacker*",
    "hacking",
    "взлом*",
    "взламыва*",
    "хакер*",
    "exploit*",
    "эксплойт*",
    "stole*",
    "stolen",
    "steal*",
    "drain*",
    "украл*",
    "украд*",
    "краж*",
    "похит*",
    "похищ*",
    "outage*",
    "downtime",
    "сбо[йяюеи]*",
    "перебо*",
    "bankrupt*",
    "банкрот*",
    "insolven*",
    "collaps*",
    "крах*",
  ]),
  tone(-1, 2, [
    ...BAN_WORDS,
    "delist*",
    "делистинг*",
    "crash*",
    "plung*",
    "plummet*",
    "tumbl*",
    "обвал*",
    "рухнул*",
    "bearish",
    "медвеж*",
    "de-?peg*",
    "отвяз*",
  ]),
  tone(-1, 1.5, [
    "unlock*",
    "разлок*",
    "разблокировк*",
    "dump*",
    "слил*",
    "слива*",
    "слив*",
    "скинул*",
    "sold",
    "sell",
    "sells",
    "selling",
    "продать",
    "продава*",
    "вывалил*",
    "продал*",
    "прода[её]т",
    "распрода*",
    "bleed*",
    "bled",
    "nuked",
    "rekt",
    "bloodbath",
    "capitulat*",
    "crater*",
    "wiped out",
    "hammered",
    "selling pressure",
    "sell pressure",
    "пролив*",
    "пролил*",
    "сыпется",
    "посыпал*",
    "кровав*",
    "капитуляц*",
    "давлени* продав*",
    "колбас* вниз",
    "tank*",
    "freez*",
    "froze",
    "frozen",
    "замороз*",
    "заморож*",
    "делист*",
    "reject*",
    "отклонил*",
    "отклонен*",
    "отклонён*",
    "delay*",
    "postpon*",
    "отложил*",
    "отложен*",
    "перенесл*",
    "перенес",
    "перен[её]с",
    "sue",
    "sues",
    "sued",
    "lawsuit*",
    "иск",
    "charge*",
    "обвинени*",
    "обвини*",
    "indict*",
    "arrest*",
    "арест*",
    "fraud*",
    "мошенни*",
    "laundering",
    "отмывани*",
    "scam*",
    "outflow*",
    "отток*",
    "crackdown",
    "went down",
    "halt*",
    "приостанов*",
    "suspend*",
  ]),
  tone(-1, 1, [
    "fell",
    "fall",
    "falls",
    "falling",
    "drop",
    "drops",
    "dropped",
    "dip",
    "dips",
    "dipped",
    "slid*",
    "slip*",
    "sank",
    "sink*",
    "lost",
    "lose",
    "loses",
    "losing",
    "loss*",
    "decreas*",
    "slump*",
    "упал*",
    "падени*",
    "пада*",
    "снизил*",
    "снижени*",
    "подешевел*",
    "просел*",
    "потерял*",
    "опуска*",
    "опустил*",
    "коррекци*",
    "liquidat*",
    "ликвидац*",
    "fear*",
    "panic*",
    "опасени*",
    "страх*",
    "паник*",
    "fine",
    "fined",
    "штраф*",
    "investigat*",
    "расследов*",
    "vulnerab*",
    "уязвим*",
    "alleg*",
    "attack*",
    "атак*",
    "злоумышленник*",
    "paus*",
    "не могли",
    "underperform*",
    "отста[её]т",
    "отстава*",
    "дешеве*",
    "теря*",
    "remov*",
    "убер[её]т",
    "убира*",
  ]),
  tone(-1, 0.5, ["warn*", "предупред*", "risk*", "риск*"]),
]);

/**
 * Words that flip the next signal; `true` marks those that mean "refused" and are a bearish
 * signal alone when they flip nothing.
 */
const NEGATORS = patternSet<boolean>([
  {
    patterns: [
      "отказал*",
      "отказыва*",
      "refus*",
      "declin*",
      "deny",
      "denies",
      "denied",
      "turn* down",
      "veto*",
      "завернул*",
      "зарубил*",
    ],
    payload: true,
  },
  {
    patterns: [
      "not",
      "no",
      "never",
      "nor",
      "neither",
      "without",
      "cannot",
      "(?:don|doesn|didn|won|isn|aren|wasn|weren|can|couldn|shouldn|wouldn|hasn|haven|hadn)['’]t",
      "не",
      "нет",
      "ни",
      "без",
      "никогда",
      "опроверг*",
    ],
    payload: false,
  },
]);
/** Russian negates after the noun: "взлома не было", "сбоя не произошло". */
const AFTER_NEGATION_RE =
  /^\s+(?:не было|не произошло|не случилось|не обнаружен\p{L}*|не подтвер\p{L}*|не будет|нет)(?![\p{L}])/iu;

/** One signal that moved the direction, as written in the text. */
export interface ToneSignal extends Span {
  polarity: number;
  negated: boolean;
}

/** Signed keyword score of a text, negation-aware. */
export interface ToneResult {
  score: number;
  signals: ToneSignal[];
}

/**
 * Scores the tone of a text from its keywords. A negator up to three words before a signal in
 * the same clause flips it: a negated good word counts fully bad ("did not approve"), a negated
 * bad word only half good ("no hack" is relief, not good news).
 *
 * @example A negated approval is bearish
 * ```ts
 * scoreTone("SEC did not approve the ETF").score < 0; // true
 * ```
 */
export function scoreTone(text: string, mentions: readonly Span[] = []): ToneResult {
  const signals: ToneSignal[] = [];
  const negators = setMatches(NEGATORS, text);
  const inverse = setMatches(INVERSE_SUBJECTS, text);
  const consumed = new Set<number>();
  let score = 0;
  const negatorStarts = new Set(negators.map((n) => n.start));
  // "взлома не было": only worth a regex when a negator follows right after the word.
  const negatedAfter = (end: number) =>
    (negatorStarts.has(end + 1) || negatorStarts.has(end + 2)) &&
    AFTER_NEGATION_RE.test(text.slice(end, end + 40));
  const apply = (p: TonePayload, start: number, end: number) => {
    const neg = findNegator(text, negators, start) ??
      (negatedAfter(end) || answeredNo(text, end) ||
          (p.polarity < 0 && deniedInSentence(text, denials, start))
        ? start
        : null);
    let value = p.polarity * p.weight;
    if (neg === start && answeredNo(text, end)) {
      // "ETF одобрили? Нет, …": the text denies a rumour; nothing happened either way.
      value = 0;
    } else if (neg !== null) {
      consumed.add(neg);
      // "did not approve" is bad news, "won't ban" good news; "was not hacked" only relief.
      if (p.polarity > 0) value = p.action ? 0 : -p.weight;
      else value = p.incident ? DENIED_INCIDENT_VALUE : p.weight / 2;
    } else if (!p.absolute && inverseSubjectBefore(text, inverse, mentions, start)) {
      // The dollar, yields or inflation going up is bad for crypto: "the dollar index surged".
      value = -value;
    }
    score += value;
    signals.push({ start: neg ?? start, end, polarity: Math.sign(value), negated: neg !== null });
  };
  // Word matches and mentions both come in text order: one pointer walks the mentions.
  let next = 0;
  // "Kraken denies rumors that it will halt withdrawals": the halt is denied with the rumour.
  const denials = [
    ...setMatches(DENIALS, text),
    ...negators.filter((n) => n.payload && REPORTS_AFTER_RE.test(text.slice(n.end, n.end + 40))),
  ];
  const onAsset = (m: Span) => {
    while (next < mentions.length && mentions[next].end <= m.start) next++;
    return next < mentions.length && mentions[next].start < m.end;
  };
  const phrases = longestFirst(setMatches(SENTIMENT_PHRASES, text));
  for (const m of phrases) apply(m.payload, m.start, m.end);
  for (const m of setMatches(SENTIMENT_WORDS, text)) {
    // A coin's name is not a word of the news ("Optimism's OP unlock").
    if (onAsset(m) || phrases.some((p) => m.start < p.end && m.end > p.start)) continue;
    apply(m.payload, m.start, m.end);
  }
  for (const m of negators) {
    if (!m.payload || consumed.has(m.start)) continue;
    // A court refusing the regulator ("denies SEC's motion", "отказал SEC") is a win; denying
    // reports or rumours is no news at all.
    const after = text.slice(m.end, m.end + 40);
    const value = REGULATOR_AFTER_RE.test(after) ? 1.5 : REPORTS_AFTER_RE.test(after) ? 0 : -1;
    score += value;
    signals.push({ start: m.start, end: m.end, polarity: Math.sign(value), negated: false });
  }
  // Emoji lean a worded text; on their own they say nothing.
  // Every one of them is a surrogate pair starting \uD83D or \uD83E; indexOf is far cheaper
  // than a regex over 4 KB.
  const mayHaveEmoji = text.indexOf("\uD83D") >= 0 || text.indexOf("\uD83E") >= 0;
  if (mayHaveEmoji && /\p{L}/u.test(text)) {
    for (const [emoji, value] of EMOJI_TONE) {
      if (text.includes(emoji)) score += value;
    }
  }
  signals.sort((a, b) => a.start - b.start);
  return { score, signals };
}

/**
 * Phrases that overlap keep the one that starts first, the longer at one start: "tightens rules
 * for crypto" is about tighter rules, not a court that "rules for" someone.
 */
function longestFirst<T>(matches: readonly SetMatch<T>[]): SetMatch<T>[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: SetMatch<T>[] = [];
  for (const m of sorted) {
    if (kept.length === 0 || m.start >= kept[kept.length - 1].end) kept.push(m);
  }
  return kept;
}

/** Words that call a report untrue: "reports of a hack are false", "слухи … ложные". */
const DENIALS = patternSet([{
  payload: true,
  patterns: [
    "(?:are|were|is|was) (?:false|untrue|fake|baseless|not true)",
    "ложн*",
    "не соответству* действительност*",
    "debunk*",
    "фейк*",
  ],
}]);

/** A denial in the same sentence as `index` (a hack "reported" there did not happen). */
function deniedInSentence(text: string, denials: readonly Span[], index: number): boolean {
  return denials.some((d) => {
    const [from, to] = d.start < index ? [d.end, index] : [index, d.start];
    return to - from < 160 && !/[.!?\n]/.test(text.slice(from, to));
  });
}

/** A denied hack or outage alone stays under the direction threshold: relief, not good news. */
const DENIED_INCIDENT_VALUE = 0.5;

/** Emoji people put on news for its direction; each counts once per text. */
const EMOJI_TONE: ReadonlyArray<[string, number]> = [
  ["🚀", 1],
  ["📈", 1],
  ["📉", -1],
  ["🩸", -1],
];

/** What a denial is aimed at when it denies news rather than refuses something. */
const REPORTS_AFTER_RE =
  /^\s+(?:the\s+|any\s+)?(?:reports?|rumou?rs?|claims?|allegations?|speculation|слух\p{L}*|сообщени\p{L}*|информаци\p{L}*|утверждени\p{L}*)(?![\p{L}])/iu;

/** The party a refusal is aimed at, when it is the regulator or the prosecution. */
const REGULATOR_AFTER_RE =
  /^\s+(?:the\s+|a\s+)?(?:SEC|SEC['’]s|CFTC|DOJ|regulator\p{L}*|prosecut\p{L}*|government['’]s|регулятор\p{L}*|прокуратур\p{L}*|Минюст\p{L}*)(?![\p{L}])/u;

/** Things whose rise is bad news for crypto. */
const INVERSE_SUBJECTS = patternSet([{
  payload: true,
  patterns: [
    "dollar*",
    "dxy",
    "доллар*",
    "yield*",
    "доходност*",
    "inflation",
    "инфляци*",
    "cpi",
    "ppi",
    "vix",
    "fear index",
    "индекс страха",
    "oil",
    "нефть",
  ],
}]);

const CONJUNCTION_RE = /(?:^|\s)(?:and|but|while|as|и|а|но|пока)\s/iu;

/** An inverse subject up to three words before `index`, in the same clause, with no coin between. */
function inverseSubjectBefore(
  text: string,
  inverse: readonly Span[],
  mentions: readonly Span[],
  index: number,
): boolean {
  for (let i = inverse.length - 1; i >= 0; i--) {
    const subject = inverse[i];
    if (subject.end > index) continue;
    if (index - subject.end > 32 || !sameClauseWords(text, subject.end, index, 3)) return false;
    // "yields jump and stocks fall": the subject owns only its own verb.
    if (CONJUNCTION_RE.test(text.slice(subject.end, index))) return false;
    return !mentions.some((m) => m.start >= subject.end && m.start < index);
  }
  return false;
}

/** "ETF одобрили? Нет, …": a signal in a question the text answers "no" to. */
function answeredNo(text: string, end: number): boolean {
  // A bounded look: searching a 4 KB text for "?" once per signal would cost more than the rest.
  const ahead = text.slice(end, end + 100);
  const mark = ahead.indexOf("?");
  if (mark < 0 || mark > 80 || /[.!\n]/.test(ahead.slice(0, mark))) return false;
  return /^\?*\s*(?:нет|no|nope|not really|не совсем)(?![\p{L}])/iu.test(ahead.slice(mark));
}

/**
 * Start of the nearest negator before `index` with at most three words between them in the same
 * clause, or null.
 */
function findNegator(
  text: string,
  negators: readonly SetMatch<boolean>[],
  index: number,
): number | null {
  for (let i = negators.length - 1; i >= 0; i--) {
    const n = negators[i];
    if (n.end > index) continue;
    if (index - n.end > 60) return null;
    return sameClauseFewWords(text, n.end, index) ? n.start : null;
  }
  return null;
}

/** No clause break (`.!?;:,—–()`, newline, " - ") and at most three words in `[from, to)`. */
function sameClauseFewWords(text: string, from: number, to: number): boolean {
  return sameClauseWords(text, from, to, 3);
}

/** No clause break (`.!?;:,—–()`, newline, " - ") and at most `max` words in `[from, to)`. */
function sameClauseWords(text: string, from: number, to: number, max: number): boolean {
  const { codes, flags } = scan(text);
  let words = 0;
  for (let i = from; i < to; i++) {
    const c = codes[i];
    if (
      c === 46 || c === 33 || c === 63 || c === 59 || c === 58 || c === 44 || c === 40 ||
      c === 41 || c === 10 || c === 0x2014 || c === 0x2013 ||
      (c === 45 && i > 0 && codes[i - 1] === 32 && codes[i + 1] === 32)
    ) {
      return false;
    }
    // Apostrophes join words ("didn't"), as they did in the regex this replaces.
    const word = (flags[i] & WORD) !== 0 || c === 39 || c === 0x2019;
    const prev = i > from && ((flags[i - 1] & WORD) !== 0 || codes[i - 1] === 39 ||
      codes[i - 1] === 0x2019);
    if (word && !prev) words++;
  }
  return words <= max;
}
