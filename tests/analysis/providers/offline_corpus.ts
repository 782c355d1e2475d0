/**
 * A labelled corpus for the offline analyzer, split in two halves.
 *
 * `tuning` items may be used to adjust the lexicon. `heldout` items were written before the
 * analyzer existed and must not be edited after looking at results: they are the honest
 * estimate of how the lexicon does on text it was not fitted to.
 *
 * The lexicon turned out to contain phrases from the first heldout batch (h01–h33: "hotter than
 * expected", "prices down", "не могли", "runtime"), so that batch may flatter it. A second
 * batch (f01–f30) was written blind before the analyzer ever ran on it; the accuracy script
 * reports it on its own.
 *
 * @module
 */
import {
  type Direction,
  type EventKind,
  extractFacts,
} from "../../../src/analysis/providers/offline.ts";

/** One labelled text. */
export interface CorpusItem {
  id: string;
  split: "tuning" | "heldout";
  text: string;
  assets: string[];
  kind: "news" | "question";
  eventKind: EventKind;
  direction: Direction;
}

/** Fields the accuracy table reports. */
export const CORPUS_FIELDS = ["assets", "kind", "eventKind", "direction"] as const;
export type CorpusField = typeof CORPUS_FIELDS[number];

/** The corpus: 79 news items and 17 questions, 46 of them in Russian. */
export const CORPUS: readonly CorpusItem[] = [
  // === tuning: news
  {
    id: "t01",
    split: "tuning",
    text: "SEC approves spot Ethereum ETFs from BlackRock and Fidelity; ETH jumps 6% in an hour.",
    assets: ["ETH"],
    kind: "news",
    eventKind: "etf",
    direction: "bullish",
  },
  {
    id: "t02",
    split: "tuning",
    text: "SEC не одобрила заявку на спотовый Solana-ETF и перенесла решение на осень.",
    assets: ["SOL"],
    kind: "news",
    eventKind: "etf",
    direction: "bearish",
  },
  {
    id: "t03",
    split: "tuning",
    text: "Hackers drained $150 million from the Orbit bridge, stealing ETH, USDT and USDC.",
    assets: ["ETH", "USDT", "USDC"],
    kind: "news",
    eventKind: "hack",
    direction: "bearish",
  },
  {
    id: "t04",
    split: "tuning",
    text: "Биржа Bybit сообщила о взломе: злоумышленники вывели около 400 тысяч эфира.",
    assets: ["ETH"],
    kind: "news",
    eventKind: "hack",
    direction: "bearish",
  },
  {
    id: "t05",
    split: "tuning",
    text: "Solana network suffered a five-hour outage after validators stopped producing blocks.",
    assets: ["SOL"],
    kind: "news",
    eventKind: "outage",
    direction: "bearish",
  },
  {
    id: "t06",
    split: "tuning",
    text: "Сеть TON остановила производство блоков на несколько часов, Toncoin подешевел на 4%.",
    assets: ["TON"],
    kind: "news",
    eventKind: "outage",
    direction: "bearish",
  },
  {
    id: "t07",
    split: "tuning",
    text: "Coinbase will list PEPE and add a PEPE-USD trading pair on Thursday.",
    assets: ["PEPE"],
    kind: "news",
    eventKind: "listing",
    direction: "bullish",
  },
  {
    id: "t08",
    split: "tuning",
    text: "Binance проведёт делистинг нескольких торговых пар, в том числе пар с DOGE, с 15 мая.",
    assets: ["DOGE"],
    kind: "news",
    eventKind: "listing",
    direction: "bearish",
  },
  {
    id: "t09",
    split: "tuning",
    text: "PayPal partners with Chainlink to use its price oracles, LINK gains 3%.",
    assets: ["LINK"],
    kind: "news",
    eventKind: "partnership",
    direction: "bullish",
  },
  {
    id: "t10",
    split: "tuning",
    text: "Крупная сеть кофеен начала принимать оплату в биткоинах во всех своих точках.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "partnership",
    direction: "bullish",
  },
  {
    id: "t11",
    split: "tuning",
    text: "The Fed cut interest rates by 50 basis points; Bitcoin and Ether rallied on the news.",
    assets: ["BTC", "ETH"],
    kind: "news",
    eventKind: "macro",
    direction: "bullish",
  },
  {
    id: "t12",
    split: "tuning",
    text:
      "ФРС сохранила ключевую ставку, но Пауэлл намекнул на повышение; биткоин снизился на 2,5%.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "macro",
    direction: "bearish",
  },
  {
    id: "t13",
    split: "tuning",
    text:
      "A whale moved 12,000 BTC from a dormant wallet to Binance, sparking fears of a sell-off.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "whale",
    direction: "bearish",
  },
  {
    id: "t14",
    split: "tuning",
    text:
      "Киты за неделю вывели с бирж более 200 тысяч ETH — аналитики считают это признаком накопления.",
    assets: ["ETH"],
    kind: "news",
    eventKind: "whale",
    direction: "bullish",
  },
  {
    id: "t15",
    split: "tuning",
    text: "Ethereum's Dencun upgrade went live on mainnet, cutting layer-2 fees by up to 90%.",
    assets: ["ETH"],
    kind: "news",
    eventKind: "upgrade",
    direction: "bullish",
  },
  {
    id: "t16",
    split: "tuning",
    text: "Разработчики Cardano назначили хардфорк Chang на следующий месяц.",
    assets: ["ADA"],
    kind: "news",
    eventKind: "upgrade",
    direction: "neutral",
  },
  {
    id: "t17",
    split: "tuning",
    text: "SEC sues Coinbase, alleging the exchange operated as an unregistered securities broker.",
    assets: [],
    kind: "news",
    eventKind: "lawsuit",
    direction: "bearish",
  },
  {
    id: "t18",
    split: "tuning",
    text:
      "Суд встал на сторону Ripple: продажи XRP на биржах не признаны ценными бумагами, XRP вырос на 70%.",
    assets: ["XRP"],
    kind: "news",
    eventKind: "lawsuit",
    direction: "bullish",
  },
  {
    id: "t19",
    split: "tuning",
    text: "Circle minted another 1 billion USDC on Ethereum as stablecoin demand grows.",
    assets: ["USDC", "ETH"],
    kind: "news",
    eventKind: "stablecoin",
    direction: "bullish",
  },
  {
    id: "t20",
    split: "tuning",
    text: "Стейблкоин DAI ненадолго потерял привязку к доллару и опускался до 0,97 $.",
    assets: ["DAI"],
    kind: "news",
    eventKind: "stablecoin",
    direction: "bearish",
  },
  {
    id: "t21",
    split: "tuning",
    text:
      "China reiterates its ban on crypto trading and mining, calling Bitcoin a risk to financial stability.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "regulation",
    direction: "bearish",
  },
  {
    id: "t22",
    split: "tuning",
    text: "Госдума приняла закон о легализации майнинга, ЦБ получит право регулировать отрасль.",
    assets: [],
    kind: "news",
    eventKind: "regulation",
    direction: "bullish",
  },
  {
    id: "t23",
    split: "tuning",
    text: "Bitcoin fell 8% to $58,000 despite reports of a new ETF filing.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "etf",
    direction: "bearish",
  },
  {
    id: "t24",
    split: "tuning",
    text: "Биткоин за сутки вырос на 5%, превысив отметку в 70 000 долларов.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "general",
    direction: "bullish",
  },
  {
    id: "t25",
    split: "tuning",
    text:
      "Market update: BTC is flat, ETH is flat, trading volumes remain low ahead of the weekend.",
    assets: ["BTC", "ETH"],
    kind: "news",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "t26",
    split: "tuning",
    text:
      "Глава ЦБ в прямом эфире заявил, что запрет на использование криптовалют для платежей сохранится.",
    assets: [],
    kind: "news",
    eventKind: "regulation",
    direction: "bearish",
  },
  {
    id: "t27",
    split: "tuning",
    text:
      "Optimism rallies as the OP token jumps 9% after Coinbase's Base joins the Superchain partnership.",
    assets: ["OP"],
    kind: "news",
    eventKind: "partnership",
    direction: "bullish",
  },
  // === tuning: questions
  {
    id: "t28",
    split: "tuning",
    text: "Что такое сид-фраза и зачем её хранить?",
    assets: [],
    kind: "question",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "t29",
    split: "tuning",
    text: "What is staking and how do I earn rewards with ETH?",
    assets: ["ETH"],
    kind: "question",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "t30",
    split: "tuning",
    text: "Как работает блокчейн?",
    assets: [],
    kind: "question",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "t31",
    split: "tuning",
    text: "Should I buy Bitcoin before the halving?",
    assets: ["BTC"],
    kind: "question",
    eventKind: "upgrade",
    direction: "neutral",
  },
  {
    id: "t32",
    split: "tuning",
    text: "Почему стейблкоин может потерять привязку к доллару?",
    assets: [],
    kind: "question",
    eventKind: "stablecoin",
    direction: "neutral",
  },
  {
    id: "t33",
    split: "tuning",
    text: "What is an ETF?",
    assets: [],
    kind: "question",
    eventKind: "etf",
    direction: "neutral",
  },
  // === heldout: news (written before the analyzer; do not edit)
  {
    id: "h01",
    split: "heldout",
    text:
      "BlackRock's spot bitcoin ETF recorded $1.1 billion in net inflows on Monday, its biggest day since launch.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "etf",
    direction: "bullish",
  },
  {
    id: "h02",
    split: "heldout",
    text: "Комиссия по ценным бумагам США снова отложила решение по ETF на XRP.",
    assets: ["XRP"],
    kind: "news",
    eventKind: "etf",
    direction: "bearish",
  },
  {
    id: "h03",
    split: "heldout",
    text:
      "DeFi lender suffers $25M exploit as attacker manipulates price oracle; the team paused the protocol.",
    assets: [],
    kind: "news",
    eventKind: "hack",
    direction: "bearish",
  },
  {
    id: "h04",
    split: "heldout",
    text: "Хакеры похитили у японской биржи DMM биткоины на сумму 305 млн долларов.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "hack",
    direction: "bearish",
  },
  {
    id: "h05",
    split: "heldout",
    text:
      "Arbitrum sequencer went down for 78 minutes, halting transactions on the network; ARB slipped 2%.",
    assets: ["ARB"],
    kind: "news",
    eventKind: "outage",
    direction: "bearish",
  },
  {
    id: "h06",
    split: "heldout",
    text:
      "Из-за технического сбоя пользователи Coinbase несколько часов не могли вывести средства.",
    assets: [],
    kind: "news",
    eventKind: "outage",
    direction: "bearish",
  },
  {
    id: "h07",
    split: "heldout",
    text: "Robinhood adds Solana, Cardano and XRP trading for US customers.",
    assets: ["SOL", "ADA", "XRP"],
    kind: "news",
    eventKind: "listing",
    direction: "bullish",
  },
  {
    id: "h08",
    split: "heldout",
    text: "OKX объявила о листинге токена SUI, торги начнутся завтра.",
    assets: ["SUI"],
    kind: "news",
    eventKind: "listing",
    direction: "bullish",
  },
  {
    id: "h09",
    split: "heldout",
    text: "Starbucks and Visa team up with Polygon for a new loyalty program.",
    assets: ["POL"],
    kind: "news",
    eventKind: "partnership",
    direction: "bullish",
  },
  {
    id: "h10",
    split: "heldout",
    text:
      "Банк Сальвадора подписал соглашение о сотрудничестве с Tether и будет хранить резервы в USDT.",
    assets: ["USDT"],
    kind: "news",
    eventKind: "partnership",
    direction: "bullish",
  },
  {
    id: "h11",
    split: "heldout",
    text:
      "US inflation came in hotter than expected at 3.5%, pushing Treasury yields up and crypto prices down.",
    assets: [],
    kind: "news",
    eventKind: "macro",
    direction: "bearish",
  },
  {
    id: "h12",
    split: "heldout",
    text:
      "ЕЦБ снизил процентные ставки впервые за пять лет, рискованные активы, включая криптовалюты, подорожали.",
    assets: [],
    kind: "news",
    eventKind: "macro",
    direction: "bullish",
  },
  {
    id: "h13",
    split: "heldout",
    text: "A Bitcoin whale that had been dormant for 10 years sent 2,000 BTC to Coinbase.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "whale",
    direction: "bearish",
  },
  {
    id: "h14",
    split: "heldout",
    text: "Крупный держатель купил 50 млн DOGE за сутки, следует из данных блокчейн-аналитики.",
    assets: ["DOGE"],
    kind: "news",
    eventKind: "whale",
    direction: "bullish",
  },
  {
    id: "h15",
    split: "heldout",
    text:
      "Polkadot completed its runtime upgrade enabling asynchronous backing, boosting throughput.",
    assets: ["DOT"],
    kind: "news",
    eventKind: "upgrade",
    direction: "bullish",
  },
  {
    id: "h16",
    split: "heldout",
    text: "В сети Litecoin произошёл третий халвинг: награда майнерам сократилась вдвое.",
    assets: ["LTC"],
    kind: "news",
    eventKind: "upgrade",
    direction: "neutral",
  },
  {
    id: "h17",
    split: "heldout",
    text: "A federal judge dismissed the class action lawsuit against Uniswap Labs.",
    assets: ["UNI"],
    kind: "news",
    eventKind: "lawsuit",
    direction: "bullish",
  },
  {
    id: "h18",
    split: "heldout",
    text: "Минюст США предъявил обвинения основателю криптобиржи в отмывании денег.",
    assets: [],
    kind: "news",
    eventKind: "lawsuit",
    direction: "bearish",
  },
  {
    id: "h19",
    split: "heldout",
    text:
      "Tether says it issued $2 billion of new USDT this week, the largest weekly mint this year.",
    assets: ["USDT"],
    kind: "news",
    eventKind: "stablecoin",
    direction: "bullish",
  },
  {
    id: "h20",
    split: "heldout",
    text: "USDC на короткое время отвязался от доллара после проблем банка-партнёра.",
    assets: ["USDC"],
    kind: "news",
    eventKind: "stablecoin",
    direction: "bearish",
  },
  {
    id: "h21",
    split: "heldout",
    text:
      "The EU's MiCA rules take full effect, giving crypto firms a single licence across the bloc.",
    assets: [],
    kind: "news",
    eventKind: "regulation",
    direction: "bullish",
  },
  {
    id: "h22",
    split: "heldout",
    text: "Власти Таиланда отказались запрещать криптовалютные платежи для туристов.",
    assets: [],
    kind: "news",
    eventKind: "regulation",
    direction: "bullish",
  },
  {
    id: "h23",
    split: "heldout",
    text: "Avalanche rose 11% on Tuesday, outperforming most large-cap coins.",
    assets: ["AVAX"],
    kind: "news",
    eventKind: "general",
    direction: "bullish",
  },
  {
    id: "h24",
    split: "heldout",
    text: "Курс Shiba Inu упал на 15% за неделю на фоне общей коррекции рынка.",
    assets: ["SHIB"],
    kind: "news",
    eventKind: "general",
    direction: "bearish",
  },
  {
    id: "h25",
    split: "heldout",
    text:
      "Crypto markets were quiet on Sunday with Bitcoin trading around $64,000 and little news flow.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "h26",
    split: "heldout",
    text: "В эфире телеканала министр финансов заявил, что налог на майнинг повысят с 2026 года.",
    assets: [],
    kind: "news",
    eventKind: "regulation",
    direction: "bearish",
  },
  {
    id: "h27",
    split: "heldout",
    text:
      "One of the largest US pension funds disclosed a stake in a bitcoin ETF, a sign that adoption is near.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "etf",
    direction: "bullish",
  },
  // === heldout: questions (written before the analyzer; do not edit)
  {
    id: "h28",
    split: "heldout",
    text: "How does a hardware wallet keep my coins safe?",
    assets: [],
    kind: "question",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "h29",
    split: "heldout",
    text: "Что значит газ в сети Ethereum и почему комиссии такие высокие?",
    assets: ["ETH"],
    kind: "question",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "h30",
    split: "heldout",
    text: "Is it safe to keep USDT on an exchange?",
    assets: ["USDT"],
    kind: "question",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "h31",
    split: "heldout",
    text: "Что такое DAO простыми словами?",
    assets: [],
    kind: "question",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "h32",
    split: "heldout",
    text: "Why did Bitcoin drop 10% yesterday?",
    assets: ["BTC"],
    kind: "question",
    eventKind: "general",
    direction: "bearish",
  },
  {
    id: "h33",
    split: "heldout",
    text: "Стоит ли покупать эфир сейчас?",
    assets: ["ETH"],
    kind: "question",
    eventKind: "general",
    direction: "neutral",
  },
  // === heldout, second batch: written blind after the lexicon was found to contain phrases
  // from the first heldout batch, before the analyzer ever ran on them (do not edit)
  {
    id: "f01",
    split: "heldout",
    text:
      "Grayscale's spot Ethereum ETF saw $400 million in outflows last week as investors pulled money.",
    assets: ["ETH"],
    kind: "news",
    eventKind: "etf",
    direction: "bearish",
  },
  {
    id: "f02",
    split: "heldout",
    text: "Регулятор Гонконга одобрил первые спотовые ETF на биткоин и эфир.",
    assets: ["BTC", "ETH"],
    kind: "news",
    eventKind: "etf",
    direction: "bullish",
  },
  {
    id: "f03",
    split: "heldout",
    text:
      "Attackers exploited a bug in the Curve pools and walked away with $60 million in crypto.",
    assets: [],
    kind: "news",
    eventKind: "hack",
    direction: "bearish",
  },
  {
    id: "f04",
    split: "heldout",
    text: "Биржа WazirX потеряла 230 млн долларов в результате взлома кошелька.",
    assets: [],
    kind: "news",
    eventKind: "hack",
    direction: "bearish",
  },
  {
    id: "f05",
    split: "heldout",
    text: "Binance temporarily suspended withdrawals for two hours due to a technical issue.",
    assets: [],
    kind: "news",
    eventKind: "outage",
    direction: "bearish",
  },
  {
    id: "f06",
    split: "heldout",
    text: "Сеть Solana не работала почти пять часов, транзакции не проходили.",
    assets: ["SOL"],
    kind: "news",
    eventKind: "outage",
    direction: "bearish",
  },
  {
    id: "f07",
    split: "heldout",
    text: "Kraken will delist Monero for customers in Ireland and Belgium.",
    assets: ["XMR"],
    kind: "news",
    eventKind: "listing",
    direction: "bearish",
  },
  {
    id: "f08",
    split: "heldout",
    text: "Bybit добавит токен TON в листинг на следующей неделе.",
    assets: ["TON"],
    kind: "news",
    eventKind: "listing",
    direction: "bullish",
  },
  {
    id: "f09",
    split: "heldout",
    text: "Shopify merchants can now accept USDC payments through a partnership with Coinbase.",
    assets: ["USDC"],
    kind: "news",
    eventKind: "partnership",
    direction: "bullish",
  },
  {
    id: "f10",
    split: "heldout",
    text: "Японская компания Sony интегрирует блокчейн Polygon в свою платформу.",
    assets: ["POL"],
    kind: "news",
    eventKind: "partnership",
    direction: "bullish",
  },
  {
    id: "f11",
    split: "heldout",
    text:
      "Bitcoin slipped 3% after the Fed signaled it would keep interest rates higher for longer.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "macro",
    direction: "bearish",
  },
  {
    id: "f12",
    split: "heldout",
    text: "Инфляция в США замедлилась сильнее ожиданий, биткоин подорожал на 4%.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "macro",
    direction: "bullish",
  },
  {
    id: "f13",
    split: "heldout",
    text: "A whale bought 3,000 ETH in a single day, on-chain data shows.",
    assets: ["ETH"],
    kind: "news",
    eventKind: "whale",
    direction: "bullish",
  },
  {
    id: "f14",
    split: "heldout",
    text: "Киты продали более 20 тысяч BTC за последние три дня.",
    assets: ["BTC"],
    kind: "news",
    eventKind: "whale",
    direction: "bearish",
  },
  {
    id: "f15",
    split: "heldout",
    text: "Ethereum developers delayed the Pectra upgrade after bugs were found on a testnet.",
    assets: ["ETH"],
    kind: "news",
    eventKind: "upgrade",
    direction: "bearish",
  },
  {
    id: "f16",
    split: "heldout",
    text: "Обновление сети TON прошло успешно, скорость транзакций выросла.",
    assets: ["TON"],
    kind: "news",
    eventKind: "upgrade",
    direction: "bullish",
  },
  {
    id: "f17",
    split: "heldout",
    text:
      "A US court fined Binance founder Changpeng Zhao and sentenced him to four months in prison.",
    assets: [],
    kind: "news",
    eventKind: "lawsuit",
    direction: "bearish",
  },
  {
    id: "f18",
    split: "heldout",
    text: "Суд отклонил иск против разработчиков Tornado Cash.",
    assets: [],
    kind: "news",
    eventKind: "lawsuit",
    direction: "bullish",
  },
  {
    id: "f19",
    split: "heldout",
    text: "Circle burned 2 billion USDC as redemptions rose.",
    assets: ["USDC"],
    kind: "news",
    eventKind: "stablecoin",
    direction: "bearish",
  },
  {
    id: "f20",
    split: "heldout",
    text: "Стейблкоин USDe временно упал до 0,96 доллара, потеряв привязку.",
    assets: [],
    kind: "news",
    eventKind: "stablecoin",
    direction: "bearish",
  },
  {
    id: "f21",
    split: "heldout",
    text: "Nigeria lifted its ban on banks serving crypto companies.",
    assets: [],
    kind: "news",
    eventKind: "regulation",
    direction: "bullish",
  },
  {
    id: "f22",
    split: "heldout",
    text: "Минфин предложил запретить майнинг в южных регионах зимой.",
    assets: [],
    kind: "news",
    eventKind: "regulation",
    direction: "bearish",
  },
  {
    id: "f23",
    split: "heldout",
    text: "Solana jumped 14% over the weekend to its highest level since March.",
    assets: ["SOL"],
    kind: "news",
    eventKind: "general",
    direction: "bullish",
  },
  {
    id: "f24",
    split: "heldout",
    text: "XRP подешевел на 6% за сутки.",
    assets: ["XRP"],
    kind: "news",
    eventKind: "general",
    direction: "bearish",
  },
  {
    id: "f25",
    split: "heldout",
    text: "Litecoin traded sideways all week, holding near $80.",
    assets: ["LTC"],
    kind: "news",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "f26",
    split: "heldout",
    text: "What is a rug pull and how can I spot one?",
    assets: [],
    kind: "question",
    eventKind: "hack",
    direction: "neutral",
  },
  {
    id: "f27",
    split: "heldout",
    text: "Чем отличается холодный кошелёк от горячего?",
    assets: [],
    kind: "question",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "f28",
    split: "heldout",
    text: "How do layer 2 networks make Ethereum cheaper?",
    assets: ["ETH"],
    kind: "question",
    eventKind: "general",
    direction: "neutral",
  },
  {
    id: "f29",
    split: "heldout",
    text: "Зачем нужны стейблкоины, если есть доллар?",
    assets: [],
    kind: "question",
    eventKind: "stablecoin",
    direction: "neutral",
  },
  {
    id: "f30",
    split: "heldout",
    text: "Why are Bitcoin ETF inflows important?",
    assets: ["BTC"],
    kind: "question",
    eventKind: "etf",
    direction: "neutral",
  },
];

/** Accuracy of one field on one half. */
export interface FieldAccuracy {
  correct: number;
  total: number;
  ratio: number;
}

/** One wrong field, for reading what went wrong. */
export interface CorpusMiss {
  id: string;
  field: CorpusField;
  expected: string;
  actual: string;
}

/** Accuracy per half per field, plus the misses. */
export interface CorpusReport {
  tuning: Record<CorpusField, FieldAccuracy>;
  heldout: Record<CorpusField, FieldAccuracy>;
  misses: CorpusMiss[];
}

/**
 * Runs `extractFacts` over the corpus and scores each field per half.
 *
 * @example Read the heldout event-kind accuracy
 * ```ts
 * const report = measureAccuracy();
 * report.heldout.eventKind.ratio; // 0..1
 * ```
 */
export function measureAccuracy(items: readonly CorpusItem[] = CORPUS): CorpusReport {
  const tuning = emptyTable();
  const heldout = emptyTable();
  const misses: CorpusMiss[] = [];
  for (const item of items) {
    const facts = extractFacts(item.text);
    const actual: Record<CorpusField, string> = {
      assets: facts.assets.join(","),
      kind: facts.kind,
      eventKind: facts.eventKind,
      direction: facts.direction,
    };
    const expected: Record<CorpusField, string> = {
      assets: item.assets.join(","),
      kind: item.kind,
      eventKind: item.eventKind,
      direction: item.direction,
    };
    const table = item.split === "tuning" ? tuning : heldout;
    for (const field of CORPUS_FIELDS) {
      table[field].total++;
      if (actual[field] === expected[field]) table[field].correct++;
      else misses.push({ id: item.id, field, expected: expected[field], actual: actual[field] });
    }
  }
  for (const table of [tuning, heldout]) {
    for (const field of CORPUS_FIELDS) {
      const cell = table[field];
      cell.ratio = cell.total === 0 ? 0 : cell.correct / cell.total;
    }
  }
  return { tuning, heldout, misses };
}

function emptyTable(): Record<CorpusField, FieldAccuracy> {
  return {
    assets: { correct: 0, total: 0, ratio: 0 },
    kind: { correct: 0, total: 0, ratio: 0 },
    eventKind: { correct: 0, total: 0, ratio: 0 },
    direction: { correct: 0, total: 0, ratio: 0 },
  };
}
