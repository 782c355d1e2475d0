/**
 * Texts of the offline analyzer in Russian and English: what each kind of event means, sentence
 * frames the analyzer fills with facts, the glossary behind answers, and the formatters for
 * percents, sums and lists. Placeholders are `{name}`, filled by the one template filler every
 * text goes through (`fill` in `./mod.ts`).
 *
 * Tickers are indeclinable in Russian, so one `{assets}` fits every case; only the fallback for
 * "no coin named" needs a case of its own (`{assetsGen}`: "для крипторынка").
 *
 * @module
 */
import {
  type ConceptId,
  type Direction,
  type EventKind,
} from "../analysis/providers/offline_lexicon.ts";
import { type Lang } from "./mod.ts";

/** What the analyzer says about one kind of event. */
export interface KindTexts {
  /** The topic in two or three words, as in "questions about {topic}". */
  topic: string;
  /** Names the event type inside a sentence: "news about a crypto ETF". */
  about: string;
  /** What this type of event is, for answers and the plain-words mode. */
  explain: string;
  /** Why it matters for prices, per direction. */
  why: Record<Direction, string>;
  /** The same in words a first-time reader knows, per direction. */
  simple: Record<Direction, string>;
  /** What a stated sum means for this kind ({amount}). */
  amount: string;
  /** Practical advice for a beginner. */
  tips: readonly [string, string];
  analogy: string;
  example: string;
  /** What to verify before believing or acting on the news. */
  check: string;
  /** Guiding questions for the `questions` mode. */
  questions: readonly [string, string, string];
  /** Learning questions; one is picked per text. */
  learning: readonly [string, string];
}

/** One glossary entry. */
export interface ConceptTexts {
  term: string;
  definition: string;
  analogy: string;
  example: string;
  /** Key things to know. */
  points: readonly [string, string, string];
  /** A question that checks understanding. */
  learning: string;
}

/** Sentence frames and fixed phrases of one language. */
export interface PhraseTexts {
  /** Stands in for the asset list when no coin is named, in each grammatical case. */
  market: Record<"assets" | "assetsGen" | "assetsDat" | "assetsIns" | "assetsPre", string>;
  /**
   * The coin a text about one coin's product talks about when the text names none: `{coin}`,
   * `{coinGen}`, `{coinIns}` in learning questions and definitions ("an ETF on {coin}").
   */
  defaultCoin: Record<CoinCase, string>;
  /** Appended to the fact summary when coins are named. */
  assetsPart: string;
  /** How the keywords sound, for the "words vs price" note. */
  toneWord: Record<"bullish" | "bearish", string>;
  /** The answer when the glossary has nothing that fits. */
  unknownConcept: ConceptTexts;
  list: { and: string };
  direction: Record<Direction, string>;
  risk: Record<"low" | "medium" | "high", string>;
  riskNote: Record<"low" | "medium" | "high", string>;
  horizon: Record<"day" | "week" | "month", string>;
  horizonNote: Record<"day" | "week" | "month", string>;
  whyFrames: readonly string[];
  riskFrames: readonly string[];
  moveFrames: readonly string[];
  moveUp: string;
  moveDown: string;
  moveUpNoAsset: string;
  moveDownNoAsset: string;
  sizeNote: Record<"small" | "medium" | "large", string>;
  moveBeatsWords: string;
  negation: string;
  assetsLine: string;
  noAssets: string;
  injection: string;
  factSummary: string;
  factDirection: Record<Direction, string>;
  emptySummary: string;
  emptyPoints: readonly [string, string];
  emptyLearning: string;
  simpleLead: string;
  simpleWhat: string;
  simpleDo: string;
  simpleMove: string;
  examplesLead: string;
  examplePosition: string;
  stepsLead: string;
  steps: readonly [string, string, string, string, string];
  stepsNoAssets: string;
  stepsNoMove: string;
  analogyMap: string;
  analogyLimits: readonly string[];
  questionsLead: string;
  questionAsset: string;
  questionMove: string;
  answerKindLead: string;
  answerMove: string;
  answerMovePoints: readonly [string, string, string, string];
  answerMoveLearning: string;
  answerAssets: string;
  conceptSimple: string;
  conceptExampleMore: string;
  conceptStepsLead: string;
  conceptSteps: readonly [string, string, string, string];
  conceptQuestions: readonly [string, string, string];
  conceptAnalogyLimit: string;
}

/** Cases of the `{coin}` placeholders (a ticker is the same in all of them). */
export type CoinCase = "coin" | "coinGen" | "coinIns";

/** Everything of one language. */
export interface OfflineTexts {
  kinds: Record<EventKind, KindTexts>;
  concepts: Record<ConceptId, ConceptTexts>;
  phrases: PhraseTexts;
}

// === English

const EN_KINDS: Record<EventKind, KindTexts> = {
  etf: {
    topic: "crypto ETFs",
    about: "news about a crypto exchange-traded fund (ETF)",
    explain:
      "A crypto ETF is a fund traded on an ordinary stock exchange that holds coins for its investors, so people can buy exposure through a normal brokerage account.",
    why: {
      bullish:
        "an approved or growing ETF opens the door to pension funds and brokers' clients, and their money flows into {assets}.",
      bearish:
        "a rejection, delay or outflow means less new money coming into {assets} through regulated channels, at least for now.",
      neutral:
        "ETF decisions move prices mostly on the day they land; until then the market trades on expectations.",
    },
    simple: {
      bullish:
        "big, careful investors got an easier way to buy {assets}, and that usually supports the price.",
      bearish:
        "an easy door for big investors into {assets} stayed shut or money left it, so less buying.",
      neutral: "there is news about a fund for {assets}, but no clear push up or down yet.",
    },
    amount:
      "Money involved: {amount}. Fund flows show whether large investors are arriving or leaving.",
    tips: [
      "ETF decisions are often priced in within hours; trading right after a spike or a drop means trading against those who moved first.",
      "Watch the daily fund flows for a week rather than one headline: a trend says more than a single day.",
    ],
    analogy:
      "An ETF is like a ticket office for a concert: the band (the coin) is the same, but now people who never go to the venue can buy a seat through their usual bank.",
    example:
      "Example: once spot ETFs on {coin} trade, a saver gets {coin}'s price through an ordinary brokerage account, and the fund buys real {coin} for every new share it issues.",
    check:
      "find the regulator's own statement or the fund's filing; headlines often mix up filing, approval and launch.",
    questions: [
      "Who gets access to the coin through this fund who could not buy it before?",
      "Was the decision expected, or is it a surprise for the market?",
      "Is money flowing into the fund or out of it, and for how many days in a row?",
    ],
    learning: [
      "How does buying an ETF on {coin} differ from buying {coin} itself?",
      "Why can an ETF approval move the price of {coin} before any money actually flows in?",
    ],
  },
  regulation: {
    topic: "crypto regulation",
    about: "news about crypto regulation",
    explain:
      "Regulation is the rules governments and central banks set for crypto: what is allowed, who needs a licence, how it is taxed and what is banned.",
    why: {
      bullish:
        "clear or softer rules let banks, funds and companies work with {assets} without legal fear, which widens demand.",
      bearish:
        "bans, tax hikes and crackdowns cut off users and businesses from {assets}, and fear spreads faster than the rules themselves.",
      neutral:
        "a rule matters once it is final and enforced; drafts and statements often change on the way.",
    },
    simple: {
      bullish: "the authorities made crypto easier or safer to use, which helps {assets}.",
      bearish: "the authorities made crypto harder to use, which hurts {assets}.",
      neutral: "the authorities are discussing crypto rules; nothing decisive has changed yet.",
    },
    amount: "The text mentions {amount}; rules usually matter more than the sum itself.",
    tips: [
      "Check which country the rule applies to: a ban in one country rarely changes what you can do in another.",
      "A draft law is not a law; wait for the final vote and the date it takes effect.",
    ],
    analogy:
      "Regulation is like traffic rules for a new kind of vehicle: clear rules bring more drivers onto the road, a ban closes the road.",
    example:
      "Example: when the EU's MiCA rules came in, exchanges got one licence for the whole bloc instead of one per country.",
    check:
      "read who exactly issued the rule (parliament, regulator, a single official) and from what date it applies.",
    questions: [
      "Which country or region does the rule cover, and does it touch you?",
      "Is it a final decision, a draft, or just a statement?",
      "Who gains and who loses from the rule: users, exchanges or miners?",
    ],
    learning: [
      "Why does the market react to a draft law even before it passes?",
      "How can one country's crypto ban affect prices worldwide?",
    ],
  },
  hack: {
    topic: "hacks",
    about: "news about a hack or theft",
    explain:
      "A hack or exploit is when attackers steal funds from an exchange, wallet or protocol by abusing a bug, stolen keys or tricked users.",
    why: {
      bullish:
        "the feared attack turned out smaller or did not happen, which eases pressure on {assets}.",
      bearish:
        "stolen coins are often sold fast, and users pull money from similar platforms, pushing {assets} down.",
      neutral:
        "the damage and who covers it are still unclear; the reaction depends on whether users get their money back.",
    },
    simple: {
      bullish: "the feared theft turned out smaller or false, so worry about {assets} eases.",
      bearish: "thieves took money, and people get nervous and sell {assets}.",
      neutral: "there was a security incident; how bad it is for {assets} is not clear yet.",
    },
    amount:
      "Amount at stake: {amount}. The bigger the loss, the harder the blow to trust in the platform.",
    tips: [
      "Do not rush to 'buy the dip' after a hack: details and new losses often come out over several days.",
      "Keep long-term savings in your own wallet, not on one exchange or protocol.",
    ],
    analogy:
      "A hack is like a bank robbery where the vault is software: the thieves found an unlocked door in the code.",
    example:
      "Example: after the Bybit hack in February 2025 (about $1.5 billion in ETH) the exchange covered clients' losses, which calmed the market within days.",
    check:
      "look for the platform's official statement: are user funds covered, and are deposits and withdrawals working?",
    questions: [
      "Whose money was stolen: the platform's or the users'?",
      "Will the platform cover the losses, and from what reserves?",
      "Could the same weakness exist in other projects you use?",
    ],
    learning: [
      "Why does keeping coins in your own wallet protect you from an exchange hack?",
      "What is the difference between a protocol exploit and a phishing attack on users?",
    ],
  },
  outage: {
    topic: "network outages",
    about: "news about a network or exchange outage",
    explain:
      "An outage is when a blockchain stops producing blocks or an exchange stops working, so transfers and trades are stuck for a while.",
    why: {
      bullish:
        "the service is back or the outage was smaller than feared, which restores confidence in {assets}.",
      bearish:
        "stuck transfers hurt trust in {assets}: traders cannot react, and some move to more reliable rivals.",
      neutral: "short outages are usually forgotten quickly unless they keep repeating.",
    },
    simple: {
      bullish: "the system is working again, so worries about {assets} calm down.",
      bearish: "the system stopped working for a while, so people trust {assets} a bit less.",
      neutral: "there were technical problems; the effect on {assets} is probably small.",
    },
    amount: "The text mentions {amount}; for an outage, duration and repeats matter more.",
    tips: [
      "Never send coins again and again during an outage; wait for the official 'all clear'.",
      "If an exchange halts withdrawals, do not panic-sell; check its status page first.",
    ],
    analogy:
      "A network outage is like a metro line stopping: the trains and tickets still exist, but nobody can travel until it restarts.",
    example:
      "Example: Solana stopped producing blocks for about five hours in February 2024; transfers resumed after validators upgraded.",
    check:
      "check the project's status page: is the outage over, and were any funds lost or only delayed?",
    questions: [
      "How long did the outage last, and has it happened before?",
      "Were funds lost, or only delayed?",
      "What did the team do to stop it from happening again?",
    ],
    learning: [
      "Why does a blockchain outage worry investors even when no money is lost?",
      "What happens to a transaction you sent just before a network halted?",
    ],
  },
  listing: {
    topic: "exchange listings",
    about: "news about a listing or delisting",
    explain:
      "A listing is when an exchange starts trading a coin; a delisting is when it stops. Listings give a coin new buyers, delistings take them away.",
    why: {
      bullish:
        "a new listing brings {assets} in front of millions of new buyers, and the price often jumps on the announcement.",
      bearish:
        "a delisting cuts {assets} off from an exchange's users, so holders sell before trading stops.",
      neutral:
        "listing news moves small coins much more than large ones that already trade everywhere.",
    },
    simple: {
      bullish: "a big exchange will let people trade {assets}, so more people can buy it.",
      bearish: "an exchange will stop trading {assets}, so fewer people can buy it.",
      neutral: "there is exchange news about {assets}, but it changes little on its own.",
    },
    amount: "The text mentions {amount}; for a listing, the exchange's size matters more.",
    tips: [
      "Listing pumps often fade within days; do not buy at the peak of the announcement.",
      "Check the dates on the exchange's own site; before a delisting, move your coins to a wallet or another exchange.",
    ],
    analogy:
      "A listing is like a product getting onto the shelves of a big supermarket; a delisting is being taken off them.",
    example:
      "Example: small tokens often jump 30–50% on the day a large exchange announces a listing, and give back part of it within a week.",
    check:
      "find the announcement on the exchange's own site: scammers fake listing news to pump coins.",
    questions: [
      "How big is the exchange, and does the coin already trade elsewhere?",
      "When exactly does trading start or stop?",
      "What happens to coins left on the exchange after a delisting?",
    ],
    learning: [
      "Why do small coins jump more on listing news than bitcoin would?",
      "What should you do with a coin that an exchange is about to delist?",
    ],
  },
  partnership: {
    topic: "partnerships",
    about: "news about a partnership or adoption",
    explain:
      "Adoption is when companies, shops or payment networks start using a blockchain or accepting a coin; partnerships are the deals that bring this about.",
    why: {
      bullish:
        "real use by known companies can bring steady demand for {assets}, not only speculation.",
      bearish: "a partnership ending or adoption stalling removes a reason to hold {assets}.",
      neutral:
        "partnership headlines are common; only the ones with real users and money behind them last.",
    },
    simple: {
      bullish: "a known company started using {assets}, which shows it can be useful in real life.",
      bearish: "a company stopped using {assets}, which makes it look less useful.",
      neutral:
        "companies talk about working with {assets}; whether it matters depends on real use.",
    },
    amount: "The deal involves {amount}; compare it with the project's size to judge its weight.",
    tips: [
      "Look for numbers (users, volume) behind a partnership; 'exploring a partnership' often means nothing yet.",
      "Prices often rise on the announcement and fade later; real adoption shows up over months.",
    ],
    analogy:
      "A partnership is like a popular café starting to accept a new payment card: it matters if customers actually pay with it.",
    example:
      "Example: when a payment giant lets merchants accept stablecoins, every merchant becomes a possible user without learning crypto.",
    check:
      "check whether the company itself confirmed the deal, and whether it is a pilot or a full launch.",
    questions: [
      "Who will actually use this: millions of customers or a small test group?",
      "Did both companies announce it, or only the crypto project?",
      "What changes for an ordinary user of the coin?",
    ],
    learning: [
      "Why does real-world adoption matter more for a coin's long-term price than a one-day pump?",
      "How can you tell a real partnership from a marketing announcement?",
    ],
  },
  macro: {
    topic: "interest rates",
    about: "news about the economy and interest rates",
    explain:
      "Macro news is about the whole economy: central bank interest rates, inflation and jobs. Crypto often moves together with other risky assets on such news.",
    why: {
      bullish:
        "lower rates or cooling inflation make cheap money and risk-taking easier, which tends to lift {assets}.",
      bearish:
        "higher rates or hot inflation make safe savings more attractive, so money leaves risky assets like {assets}.",
      neutral:
        "the market reacts to surprises; a decision that matches expectations often changes little.",
    },
    simple: {
      bullish:
        "money became cheaper to borrow, and people are more willing to buy risky things like {assets}.",
      bearish: "money became more expensive, and people put less into risky things like {assets}.",
      neutral:
        "the economy news was roughly as expected, so {assets} has no strong reason to move.",
    },
    amount:
      "The text mentions {amount}; for macro news, the surprise versus forecasts matters most.",
    tips: [
      "Compare the number with the forecast: the market moves on the surprise, not on the number itself.",
      "Around central bank meetings prices can swing both ways within minutes; avoid trading on the first move.",
    ],
    analogy:
      "Interest rates are like the price of water for a garden: when water is cheap, everything grows, including the riskiest plants; when it is dear, the riskiest wilt first.",
    example:
      "Example: in 2022 the US Fed raised rates quickly, and bitcoin lost more than half its value over the year along with tech stocks.",
    check: "compare the actual figure with the forecast and read the central bank's next steps.",
    questions: [
      "Was the decision a surprise, or did everyone expect it?",
      "What does the central bank say about its next steps?",
      "How did stocks react — does crypto move the same way?",
    ],
    learning: [
      "Why do higher interest rates usually push crypto prices down?",
      "What does 'priced in' mean for a central bank decision?",
    ],
  },
  whale: {
    topic: "whales",
    about: "news about large holders ('whales') moving coins",
    explain:
      "A whale is an address or investor holding a very large amount of a coin. Their transfers are visible on the blockchain and traders watch them closely.",
    why: {
      bullish:
        "whales buying or moving coins off exchanges usually means they plan to hold {assets}, which reduces supply for sale.",
      bearish:
        "coins sent to an exchange are often about to be sold, and a large sale can push {assets} down.",
      neutral:
        "a transfer alone does not say why it happened; it may be an internal move between wallets.",
    },
    simple: {
      bullish:
        "someone very rich bought or stored away a lot of {assets}, which suggests confidence.",
      bearish: "someone very rich may be getting ready to sell a lot of {assets}.",
      neutral: "a big holder moved {assets}, but we don't know why yet.",
    },
    amount: "Size of the move: {amount}. Large enough to matter if it hits the market at once.",
    tips: [
      "One whale transfer is a hint, not a signal; look for a pattern over several days.",
      "Exchanges move their own coins between wallets too; check who owns the address before reacting.",
    ],
    analogy:
      "A whale in a small pool makes waves: when a huge holder jumps in or out, everyone else's boat rocks.",
    example:
      "Example: when an old wallet that has not moved for years sends coins to an exchange, traders fear a sale and the price often dips for a day.",
    check:
      "check where the coins went: to an exchange (possible sale), to cold storage (holding), or between the same owner's wallets.",
    questions: [
      "Where did the coins go: to an exchange or to a private wallet?",
      "How large is the transfer compared to a day's trading volume?",
      "Is it one transfer or part of a pattern?",
    ],
    learning: [
      "Why can coins moving to an exchange signal a coming sale?",
      "How can anyone see what whales do on a public blockchain?",
    ],
  },
  upgrade: {
    topic: "network upgrades",
    about: "news about a network upgrade, fork or halving",
    explain:
      "An upgrade (or hard fork) changes a blockchain's rules to add features or fix problems; a halving cuts the reward miners get for new blocks.",
    why: {
      bullish:
        "a successful upgrade makes {assets} faster or cheaper to use, which supports long-term demand.",
      bearish: "a delayed or buggy upgrade raises doubts about the developers and about {assets}.",
      neutral:
        "upgrades are usually known months ahead, so much of the effect is already in the price.",
    },
    simple: {
      bullish: "the network behind {assets} got an improvement that makes it work better.",
      bearish: "a planned improvement of {assets} ran into trouble or was postponed.",
      neutral:
        "the network behind {assets} is changing its rules on a schedule everyone knew about.",
    },
    amount: "The text mentions {amount}; for an upgrade, what changes for users matters more.",
    tips: [
      "You usually do not need to do anything with coins in a wallet during an upgrade; beware of scams asking you to 'migrate' them.",
      "Expect choppy prices around the upgrade date: traders buy the rumour and sell the news.",
    ],
    analogy:
      "An upgrade is like a phone's system update: the phone stays the same, but it gets new features, and sometimes new bugs.",
    example:
      "Example: Ethereum's Dencun upgrade in March 2024 made layer-2 transactions many times cheaper.",
    check:
      "read the project's official blog: what changes, on what date, and does anything require action from holders?",
    questions: [
      "What exactly changes for people who use the network?",
      "Has the upgrade been tested, and could it be delayed?",
      "Was the date known in advance — is the effect already in the price?",
    ],
    learning: [
      "What is the difference between a hard fork and a regular software update?",
      "Why does a halving reduce how many new coins come onto the market?",
    ],
  },
  lawsuit: {
    topic: "crypto lawsuits",
    about: "news about a lawsuit or court ruling",
    explain:
      "Lawsuits and rulings decide whether a crypto company broke the law, whether a token counts as a security, and what fines or bans follow.",
    why: {
      bullish:
        "a win in court or a dropped case removes a legal cloud over {assets} and can open doors to exchanges and investors.",
      bearish:
        "charges and lawsuits raise the risk of fines, delistings and frozen business for {assets}.",
      neutral: "court cases take months or years; one hearing rarely decides the outcome.",
    },
    simple: {
      bullish: "a court decision went in favour of {assets}, so a legal worry is gone.",
      bearish: "someone was taken to court or charged, and that puts {assets} under a cloud.",
      neutral: "a court case about {assets} is going on; the final result is still ahead.",
    },
    amount: "The case involves {amount}; fines that size can hit a company's business hard.",
    tips: [
      "Rulings can be appealed: a first win or loss is rarely the end of the story.",
      "Check whether the case targets a company or the coin itself; the coin usually outlives the company.",
    ],
    analogy:
      "A lawsuit is like a referee's review in football: play pauses, and the decision can change the whole match.",
    example:
      "Example: in July 2023 a US court ruled that XRP sold on exchanges was not a security, and XRP jumped about 70% that day.",
    check:
      "find who sued whom, what court, and whether this is a final ruling or a step in the process.",
    questions: [
      "Is the case against a company, a person, or about the coin itself?",
      "Is this a final ruling or one step that can be appealed?",
      "What happens to users if the company loses?",
    ],
    learning: [
      "Why does it matter whether a court calls a token a security?",
      "How can a lawsuit against an exchange affect coins that trade on it?",
    ],
  },
  stablecoin: {
    topic: "stablecoins",
    about: "news about stablecoins",
    explain:
      "A stablecoin is a token meant to always be worth one dollar (or another currency), backed by reserves. Issuance adds new coins; a de-peg is when the price slips away from $1.",
    why: {
      bullish:
        "new stablecoins usually mean fresh dollars waiting to buy crypto, which can support {assets} and the wider market.",
      bearish:
        "a de-peg or redemptions shake trust in 'safe' dollars on-chain, and panic can spread to the whole market.",
      neutral: "small moves around $1 are normal; only a lasting break matters.",
    },
    simple: {
      bullish: "more 'digital dollars' were created, which often means people plan to buy crypto.",
      bearish: "a 'digital dollar' stopped being worth exactly one dollar, which scares people.",
      neutral: "there is news about 'digital dollars'; nothing dramatic for now.",
    },
    amount:
      "Volume: {amount}. Large issuance or redemptions show money entering or leaving the crypto market.",
    tips: [
      "Hold stablecoins from large issuers with published reserves, and do not keep all of them in one coin.",
      "If a stablecoin trades below $0.98 for hours, treat it as a warning, not a bargain.",
    ],
    analogy:
      "A stablecoin is like a casino chip for one dollar: it works as long as the cashier can always swap it back for a real dollar.",
    example:
      "Example: in March 2023 USDC briefly fell to about $0.88 when part of its reserves was stuck at a failed bank, then recovered once the money was safe.",
    check:
      "check the issuer's reserve report and whether the coin trades at $1 on large exchanges.",
    questions: [
      "What backs this stablecoin: cash, bonds or other crypto?",
      "Can holders swap it back for dollars right now?",
      "How would a break of the $1 peg affect other coins?",
    ],
    learning: [
      "What keeps a stablecoin's price at one dollar?",
      "Why can a stablecoin lose its peg even if it is backed by reserves?",
    ],
  },
  general: {
    topic: "price moves",
    about: "general market news",
    explain:
      "Not every piece of news has a single cause: prices also move on mood, profit-taking and the wider market.",
    why: {
      bullish:
        "buyers are in control for now, but a rise without clear news can reverse just as fast.",
      bearish:
        "sellers are in control for now; drops without clear news are often part of normal swings.",
      neutral: "nothing here points clearly up or down for {assets}.",
    },
    simple: {
      bullish: "the price of {assets} went up.",
      bearish: "the price of {assets} went down.",
      neutral: "nothing much changed for {assets}.",
    },
    amount:
      "The text mentions {amount}; compare it with the asset's daily trading volume to judge its weight.",
    tips: [
      "Decide in advance how much you can afford to lose, and do not change the plan because of one day's move.",
      "A single day's move says little; look at the weekly or monthly chart before drawing conclusions.",
    ],
    analogy:
      "Daily crypto prices are like the weather: today's storm or sunshine says little about the climate.",
    example: "Example: bitcoin often moves 3–5% in a single day without any specific news at all.",
    check: "look for the cause in two independent sources before trusting an explanation.",
    questions: [
      "Is there a concrete reason for the move, or is it ordinary volatility?",
      "How does this move look on a weekly chart?",
      "Did other coins move the same way at the same time?",
    ],
    learning: [
      "Why can crypto prices move several percent in a day without any news?",
      "What is the difference between a trend and a one-day move?",
    ],
  },
};

const EN_CONCEPTS: Record<ConceptId, ConceptTexts> = {
  investing: {
    term: "whether to buy or sell",
    definition:
      "Nobody can tell you for sure whether now is a good time to buy or sell: crypto prices are hard to predict even for professionals. What you can control is how much you risk and how you decide.",
    analogy:
      "Investing in crypto is like sailing in rough water: you cannot control the waves, only how much cargo you put on board and whether you wear a life jacket.",
    example:
      "Example: buying a fixed $50 every month (dollar-cost averaging) spreads your entry over highs and lows instead of betting on one day.",
    points: [
      "Only invest money you could lose without harming your life; crypto can fall 50% or more.",
      "Buying in small parts over time reduces the risk of entering at a peak.",
      "Be wary of anyone who promises guaranteed returns — that is the classic sign of a scam.",
    ],
    learning: "Why is buying in small parts over time less risky than buying everything at once?",
  },
  seed_phrase: {
    term: "seed phrase",
    definition:
      "A seed phrase is a list of 12 or 24 words that can restore your whole wallet on any device. Whoever knows these words controls your coins.",
    analogy:
      "A seed phrase is like the master key to a safe-deposit box that also makes copies of itself: lose it and you are locked out, share it and anyone can empty the box.",
    example:
      "Example: if your phone breaks, you install the wallet app on a new phone, type the 12 words, and all your coins appear again.",
    points: [
      "Write it on paper (or metal) and keep it offline; never store it in screenshots, cloud notes or chats.",
      "No real support team, exchange or airdrop will ever ask for it.",
      "If you lose it and the device, the coins are gone for good: nobody can reset it.",
    ],
    learning:
      "Why should you never type your seed phrase into a website, even one that looks official?",
  },
  private_key: {
    term: "private key",
    definition:
      "A private key is a secret number that proves you own the coins at an address and lets you sign transactions. The seed phrase is a human-friendly way to back up your keys.",
    analogy:
      "An address is like your mailbox number that anyone can see; the private key is the only key that opens it.",
    example:
      "Example: when you send coins, your wallet signs the transaction with the private key; the network checks the signature without ever seeing the key.",
    points: [
      "Whoever has the private key has the coins — there is no bank to undo a theft.",
      "On an exchange, the exchange holds the keys for you: 'not your keys, not your coins'.",
      "A hardware wallet keeps the key inside a device so it never touches the internet.",
    ],
    learning: "What is the difference between a public address and a private key?",
  },
  wallet: {
    term: "crypto wallet",
    definition:
      "A crypto wallet is an app or device that stores your keys and lets you send and receive coins. The coins themselves live on the blockchain; the wallet holds the keys to them.",
    analogy:
      "A wallet is like a keyring, not a purse: the money sits in the blockchain's vault, the wallet holds the keys to your boxes.",
    example:
      "Example: a 'hot' wallet is an app on your phone (handy, online); a 'cold' wallet is a hardware device that stays offline (safer for savings).",
    points: [
      "Hot wallets are convenient for small amounts; cold wallets are better for savings.",
      "Back up the seed phrase the moment you create a wallet.",
      "Always double-check the address before sending: blockchain transfers cannot be reversed.",
    ],
    learning: "Why is a hardware (cold) wallet safer than a phone app for long-term savings?",
  },
  stablecoin: {
    term: "stablecoin",
    definition:
      "A stablecoin is a crypto token designed to keep a steady price, usually one US dollar, backed by reserves such as cash and short-term bonds. USDT and USDC are the largest.",
    analogy:
      "A stablecoin is like a casino chip worth exactly one dollar: it is useful as long as the cashier can always swap it back.",
    example:
      "Example: traders sell bitcoin for USDT to 'step out' of the market without moving money back to a bank.",
    points: [
      "It is only as safe as its reserves and its issuer; check that reserves are published and audited.",
      "A stablecoin can lose its peg for a while if people doubt the reserves.",
      "It does not earn anything on its own; any 'yield' comes from lending it out, with risk.",
    ],
    learning: "What must be true for a stablecoin to stay worth one dollar?",
  },
  defi: {
    term: "DeFi (decentralized finance)",
    definition:
      "DeFi is financial services — lending, trading, earning interest — run by smart contracts on a blockchain instead of banks. Anyone with a wallet can use them.",
    analogy:
      "DeFi is like a vending machine for financial services: no clerk, just rules in code that anyone can use.",
    example:
      "Example: on a lending protocol you deposit ETH as collateral and borrow stablecoins against it, all without filling in a form.",
    points: [
      "Code can have bugs: exploits have stolen billions from DeFi protocols.",
      "There is no support line to reverse a mistake or a bad transaction.",
      "High yields usually mean high risk; ask where the yield comes from.",
    ],
    learning: "Why can a bug in a smart contract lose users' money in DeFi?",
  },
  staking: {
    term: "staking",
    definition:
      "Staking is locking your coins to help secure a proof-of-stake blockchain (like Ethereum or Solana); in return the network pays you rewards in the same coin.",
    analogy:
      "Staking is like a deposit that also guarantees your good behaviour: the network pays interest, and cheating validators lose part of the deposit.",
    example:
      "Example: staking 1 ETH at about 3–4% a year gives roughly 0.03–0.04 ETH after a year, but the value in dollars still follows ETH's price.",
    points: [
      "Rewards come in the same coin, so a price drop can outweigh them.",
      "Coins may be locked for a while and unstaking can take days.",
      "Staking through an exchange is easy but means trusting the exchange with your coins.",
    ],
    learning: "Why can you lose money in dollars even while earning staking rewards?",
  },
  etf: {
    term: "ETF (exchange-traded fund)",
    definition:
      "An ETF is a fund traded on a stock exchange like a normal share. A spot ETF on {coin} holds real {coin}, so investors get its price through a regular brokerage account.",
    analogy:
      "An ETF is like buying a share in a shared safe that holds gold bars: you own part of the safe, not a bar in your pocket.",
    example:
      "Example: a pension fund that may not hold crypto directly can buy shares of a spot ETF on {coin} instead.",
    points: [
      "You cannot withdraw coins from an ETF; you own fund shares.",
      "ETFs charge a yearly fee and trade only during stock exchange hours.",
      "Big ETF inflows or outflows can move the coin's price.",
    ],
    learning:
      "How does owning a share of an ETF on {coin} differ from owning {coin} in your wallet?",
  },
  halving: {
    term: "halving",
    definition:
      "A halving cuts the reward miners get for each new Bitcoin block in half. It happens about every four years (the last one was in April 2024) and slows down how many new coins appear.",
    analogy:
      "A halving is like a gold mine where, every four years, the vein gets half as rich: the same work yields half as much new gold.",
    example: "Example: in April 2024 the block reward dropped from 6.25 to 3.125 BTC.",
    points: [
      "It is scheduled in the code, so everyone knows the date in advance.",
      "Past halvings were followed by big rallies, but past results guarantee nothing.",
      "Miners with high costs may struggle and sell coins around the halving.",
    ],
    learning: "Why does a halving reduce the new supply of bitcoin?",
  },
  gas_fee: {
    term: "gas fee",
    definition:
      "Gas is the fee you pay the network to process a transaction. On Ethereum it rises when many people use the network at once, like surge pricing.",
    analogy:
      "Gas is like the fare for a taxi during rush hour: the same ride costs more when everyone wants one.",
    example:
      "Example: a simple ETH transfer may cost cents on a quiet night and several dollars during a popular token launch.",
    points: [
      "The fee is paid even if a transaction fails.",
      "Layer-2 networks (Arbitrum, Base, Optimism) are usually much cheaper.",
      "Sending at quiet hours often costs less.",
    ],
    learning: "Why do network fees rise when many people use the blockchain at the same time?",
  },
  smart_contract: {
    term: "smart contract",
    definition:
      "A smart contract is a program on a blockchain that runs automatically when its conditions are met. Nobody can change it or stop it on a whim once it is deployed.",
    analogy:
      "A smart contract is like a vending machine: put in the right coin, get the snack — no seller needed, and the machine does exactly what it was built to do, bugs included.",
    example:
      "Example: an exchange contract swaps your USDC for ETH at the current pool price the moment you confirm.",
    points: [
      "It does exactly what the code says, including mistakes in the code.",
      "Before approving a contract in your wallet, make sure it is the real project's site.",
      "Audits reduce the risk of bugs but do not remove it.",
    ],
    learning: "Why can't a smart contract be 'fixed' as easily as a normal app?",
  },
  nft: {
    term: "NFT",
    definition:
      "An NFT (non-fungible token) is a unique token on a blockchain that records who owns a specific item — art, a game object or a ticket. Each NFT is different, unlike coins.",
    analogy:
      "An NFT is like a numbered concert ticket: there are many tickets, but each one has its own seat.",
    example:
      "Example: a game can give you an NFT sword that you can sell to another player outside the game.",
    points: [
      "Owning the NFT does not always mean owning the copyright of the image.",
      "Most NFTs are hard to sell: there may be no buyer at the price you want.",
      "Fake collections copy popular ones; check the official contract.",
    ],
    learning: "What makes an NFT different from a regular coin like ETH?",
  },
  dao: {
    term: "DAO",
    definition:
      "A DAO (decentralized autonomous organization) is a group run by rules on a blockchain: members vote with tokens, and the code carries out the decisions, such as spending from a shared treasury.",
    analogy:
      "A DAO is like a club where the bylaws are written in code and the treasury opens only when enough members vote yes.",
    example:
      "Example: holders of a protocol's governance token vote on changing its fees, and the new fee applies automatically after the vote.",
    points: [
      "More tokens usually mean more votes, so large holders can dominate.",
      "Bugs in the voting or treasury code can be exploited.",
      "The legal status of DAOs differs from country to country.",
    ],
    learning: "Why can a few large token holders control a DAO's votes?",
  },
  layer2: {
    term: "layer 2",
    definition:
      "A layer 2 is a network built on top of a blockchain (usually Ethereum) that bundles many transactions together and settles them on the main chain, making them faster and cheaper.",
    analogy:
      "A layer 2 is like a carpool lane: many passengers share one car, so the main road (the blockchain) carries more people with less traffic.",
    example: "Example: a swap that costs $5 on Ethereum may cost a few cents on Arbitrum or Base.",
    points: [
      "Moving coins between a layer 2 and the main chain uses 'bridges', which are a common hacking target.",
      "Each layer 2 has its own security trade-offs; some are still partly centralized.",
      "Make sure you send coins on the right network; a wrong network can mean lost funds.",
    ],
    learning: "How does a layer 2 make transactions cheaper than on the main chain?",
  },
  market_cap: {
    term: "market capitalization",
    definition:
      "Market cap is a coin's price multiplied by the number of coins in circulation. It shows how large a project is compared with others, better than the price of one coin does.",
    analogy:
      "Comparing coins by price is like comparing pizzas by the price of a slice without knowing how many slices each has; market cap is the price of the whole pizza.",
    example:
      "Example: a coin at $0.10 with 100 billion coins has a market cap of $10 billion — bigger than a $100 coin with 50 million coins ($5 billion).",
    points: [
      "A low price per coin does not make a coin 'cheap'.",
      "Small caps can move much more in both directions.",
      "Look at fully diluted value too: future unlocks can add many coins.",
    ],
    learning: "Why is market cap a better measure of size than the price of one coin?",
  },
  volatility: {
    term: "volatility",
    definition:
      "Volatility is how much and how fast a price swings. Crypto is very volatile: moves of 5–10% in a day are common, far more than for stocks.",
    analogy:
      "Volatility is like turbulence on a flight: you may still arrive, but the ride is bumpy and scary if you are not buckled in.",
    example:
      "Example: bitcoin fell about 75% from its 2021 peak to its 2022 low, then more than tripled by 2024.",
    points: [
      "High volatility means both big gains and big losses are possible.",
      "Leverage multiplies volatility and can wipe out a position within minutes.",
      "Small, regular purchases soften the effect of swings.",
    ],
    learning: "Why does high volatility make leverage especially dangerous?",
  },
  scam: {
    term: "scams and rug pulls",
    definition:
      "A rug pull is when a project's creators collect investors' money and disappear or dump their tokens. Other common scams are fake giveaways, phishing sites and 'guaranteed profit' schemes.",
    analogy:
      "A rug pull is like a shop that takes pre-orders, then shuts its doors overnight with everyone's money.",
    example:
      "Example: an anonymous team launches a token, promotes it on social media, then sells all its tokens at once and the price drops to almost zero.",
    points: [
      "Guaranteed returns, pressure to hurry and anonymous teams are red flags.",
      "Nobody legitimate asks for your seed phrase or for coins 'to verify' your wallet.",
      "Check that the token can be sold, not just bought, before putting money in.",
    ],
    learning: "Which three signs suggest that a crypto project might be a scam?",
  },
  mining: {
    term: "mining",
    definition:
      "Mining is how proof-of-work blockchains like Bitcoin add new blocks: computers race to solve a puzzle, and the winner gets newly created coins plus fees.",
    analogy:
      "Mining is like a lottery where you buy tickets with electricity: the more computing power, the more tickets, and one winner every ten minutes.",
    example:
      "Example: a Bitcoin miner currently earns 3.125 BTC plus fees for each block it finds.",
    points: [
      "Mining needs special hardware and cheap electricity to be profitable.",
      "Mining secures the network: attacking it would cost enormous energy.",
      "Miners' selling can add pressure on the price, especially after a halving.",
    ],
    learning: "Why does mining make the Bitcoin network hard to attack?",
  },
  fork: {
    term: "fork",
    definition:
      "A fork is a change to a blockchain's rules. A soft fork stays compatible with old software; a hard fork does not, and if the community disagrees it can split the chain in two.",
    analogy:
      "A hard fork is like a road splitting in two: everyone who does not update takes the old road, everyone else the new one.",
    example: "Example: in 2017 a disagreement split Bitcoin and created Bitcoin Cash.",
    points: [
      "Most forks are planned upgrades and need no action from holders.",
      "Scammers use forks as an excuse to ask you to 'claim' coins with your seed phrase.",
      "A contentious fork can create a second coin and volatility around it.",
    ],
    learning: "What is the difference between a planned upgrade and a contentious hard fork?",
  },
  whale: {
    term: "whale",
    definition:
      "A whale is someone holding a very large amount of a coin — enough to move its price when they buy or sell. Because blockchains are public, their transfers can be watched.",
    analogy: "A whale in a swimming pool makes waves that rock everyone else's float.",
    example:
      "Example: a transfer of thousands of BTC to an exchange often makes traders expect a sale.",
    points: [
      "Not every big transfer is a sale: exchanges and funds move coins between their own wallets.",
      "Small coins with few holders are easier for whales to move.",
      "Follow patterns over days, not a single alert.",
    ],
    learning:
      "Why is a large transfer to an exchange watched more closely than one to a private wallet?",
  },
  airdrop: {
    term: "airdrop",
    definition:
      "An airdrop is when a project gives free tokens to users, often to reward early activity. Real airdrops never require you to pay or to share your seed phrase.",
    analogy:
      "An airdrop is like free samples at a store opening: nice to get, but check the 'free gift' is not a trap.",
    example:
      "Example: a layer-2 network gives tokens to addresses that used it before a certain date.",
    points: [
      "Fake airdrop sites are one of the most common ways to drain wallets.",
      "Never connect your wallet to an unknown site to 'claim' tokens.",
      "Received tokens may be taxable in your country.",
    ],
    learning: "How can you tell a real airdrop from a scam that drains your wallet?",
  },
  altcoin: {
    term: "altcoin",
    definition:
      "An altcoin is any cryptocurrency other than bitcoin. Some are large projects like Ethereum or Solana; thousands are small and very risky.",
    analogy:
      "If bitcoin is the flagship store, altcoins are every other shop in the mall — a few big brands and many that close within a year.",
    example:
      "Example: in market downturns, small altcoins often fall two or three times harder than bitcoin.",
    points: [
      "Altcoins are usually more volatile than bitcoin.",
      "Check what the coin is used for and who builds it.",
      "Low liquidity can make small altcoins hard to sell at a fair price.",
    ],
    learning: "Why do small altcoins usually fall harder than bitcoin in a downturn?",
  },
  exchange: {
    term: "crypto exchange",
    definition:
      "A crypto exchange is a platform to buy, sell and trade coins. Centralized exchanges (like Binance or Coinbase) hold your coins for you; decentralized ones (DEX) let you trade from your own wallet.",
    analogy:
      "A centralized exchange is like a currency exchange office that also keeps your cash in its safe; a DEX is a vending machine you use with your own wallet.",
    example:
      "Example: you deposit dollars to an exchange, buy ETH, then withdraw it to your own wallet for safekeeping.",
    points: [
      "Coins on an exchange are held by the exchange; if it fails or is hacked you may lose them.",
      "Use exchanges licensed in your country and turn on two-factor authentication.",
      "Withdraw long-term savings to your own wallet.",
    ],
    learning: "What is the risk of keeping coins on an exchange instead of your own wallet?",
  },
  blockchain: {
    term: "blockchain",
    definition:
      "A blockchain is a shared record of transactions kept by thousands of computers at once. New entries are added in blocks, and changing old ones would require outvoting most of the network.",
    analogy:
      "A blockchain is like a notebook copied to thousands of people: to forge an entry you would have to change most of the copies at once.",
    example:
      "Example: when you send bitcoin, the transfer is added to a block within minutes, and anyone can see it in a block explorer.",
    points: [
      "Transactions are public and cannot be undone once confirmed.",
      "No single company controls a public blockchain.",
      "Public does not mean anonymous: addresses can often be linked to people.",
    ],
    learning: "Why is it so hard to change a transaction once it is in the blockchain?",
  },
  crypto: {
    term: "cryptocurrency",
    definition:
      "A cryptocurrency is digital money that lives on a blockchain rather than in a bank. You hold it with keys in a wallet, and transfers go directly between people.",
    analogy:
      "Crypto is like cash in digital form: you can hand it to anyone directly, but if you lose it, nobody gives it back.",
    example:
      "Example: you can send bitcoin to a friend abroad in minutes, without a bank, for a network fee.",
    points: [
      "Prices swing a lot: only invest what you can afford to lose.",
      "Your keys are your money — keep the seed phrase safe.",
      "Transfers cannot be reversed, so check addresses carefully.",
    ],
    learning:
      "What is the difference between holding crypto on an exchange and in your own wallet?",
  },
};

const EN_PHRASES: PhraseTexts = {
  market: {
    assets: "crypto",
    assetsGen: "crypto",
    assetsDat: "crypto",
    assetsIns: "crypto",
    assetsPre: "crypto",
  },
  assetsPart: " involving {assets}",
  toneWord: { bullish: "positive", bearish: "negative" },
  unknownConcept: {
    term: "this topic",
    definition:
      "My offline glossary has no ready answer to this question. Here is how to find a reliable one yourself.",
    analogy:
      "Checking a crypto claim is like checking a rumour at work: ask the person it is about, not the person who repeats it.",
    example:
      "Example: before trusting a post about a new token, open the project's official site and its announcement channel and compare.",
    points: [
      "Look the term up in the project's official documentation, not only on social media.",
      "Compare at least two independent sources before trusting an explanation.",
      "Never share your seed phrase or send coins to 'check' anything — that is always a scam.",
    ],
    learning: "Which source would you check first to verify a crypto claim, and why?",
  },
  list: { and: "and" },
  direction: { bullish: "positive", bearish: "negative", neutral: "neutral" },
  risk: { low: "low", medium: "medium", high: "high" },
  riskNote: {
    low: "the news alone is unlikely to move prices much.",
    medium: "prices may swing noticeably while the market digests the news.",
    high: "sharp swings are likely, and the story can still get worse as details come out.",
  },
  horizon: { day: "a day or two", week: "about a week", month: "weeks to months" },
  horizonNote: {
    day: "the main reaction usually comes within a day or two.",
    week: "the effect usually plays out over a week or so.",
    month: "the effect builds up slowly, over weeks to months.",
  },
  whyFrames: [
    "Why it matters: {why}",
    "Likely market reaction: {why}",
    "For the market: {why}",
  ],
  riskFrames: [
    "Risk: {risk}; horizon: {horizon}. {riskNote}",
    "Timing: {horizonNote} Risk is {risk}: {riskNote}",
    "Risk is {risk} and the horizon is {horizon}: {riskNote}",
  ],
  moveFrames: [
    "{move} — {sizeNote}",
    "The text states the move: {move}. {sizeNoteCap}",
  ],
  moveUp: "{asset} rose {percent}",
  moveDown: "{asset} fell {percent}",
  moveUpNoAsset: "The price rose {percent}",
  moveDownNoAsset: "The price fell {percent}",
  sizeNote: {
    small: "a modest move by crypto standards; an ordinary day can swing as much.",
    medium: "a noticeable move; part of the news is probably already in the price.",
    large: "a sharp move; after jumps like this the price often swings back, so expect volatility.",
  },
  moveBeatsWords:
    "The wording sounds {tone}, but the stated price move points the other way — what the price did counts more than the words.",
  negation: "Mind the negation: “{phrase}” flips the meaning, and a quick skim can miss it.",
  assetsLine: "Coins involved: {assets}.",
  noAssets: "No specific coin is named, so any effect is likely spread across the whole market.",
  injection:
    "The text contains instructions aimed at an AI; they were ignored, and only the facts were analysed.",
  factSummary: "This is {about}{assetsPart}.",
  factDirection: {
    bullish: " Overall the tone is positive{movePart}.",
    bearish: " Overall the tone is negative{movePart}.",
    neutral: " The tone is neutral{movePart}.",
  },
  emptySummary:
    "There is no text to analyse. Send a news item or a question about crypto, and I will explain it.",
  emptyPoints: [
    "Paste the text of a crypto news item, or ask a question such as “What is staking?”.",
    "The more of the original text you include, the more precise the analysis.",
  ],
  emptyLearning: "What crypto news or term would you like to understand better?",
  defaultCoin: { coin: "bitcoin", coinGen: "bitcoin", coinIns: "bitcoin" },
  simpleLead: "In plain words: {simple}",
  simpleWhat: "What happened: this is {about}.",
  simpleDo: "What to do: {tip}",
  simpleMove: "What the price did: {move}.",
  examplesLead: "Let's look at examples. {summary}",
  examplePosition:
    "If you held {asset} worth $1,000, a {percent} move would make it worth about ${after}.",
  stepsLead: "Step by step. {summary}",
  steps: [
    "Step 1 — what happened: this is {about}.",
    "Step 2 — who is affected: {assets}.",
    "Step 3 — how the price reacted: {move}.",
    "Step 4 — what to check: {check}",
    "Step 5 — what to do: {tip}",
  ],
  stepsNoAssets: "no coin is named, so watch the market as a whole",
  stepsNoMove: "the text gives no numbers, so look at the chart before drawing conclusions",
  analogyMap: "How it maps: {why}",
  analogyLimits: [
    "Where the analogy breaks: crypto trades 24/7, so the reaction comes faster and swings harder.",
    "Where the analogy breaks: in crypto there is no insurer or bank to undo losses, so caution matters more.",
  ],
  questionsLead: "Try to work it out yourself: answer these questions one by one. {summary}",
  questionAsset: "What has happened to the price of {asset} since the news came out?",
  questionMove: "Is a {percent} move big or small for {asset} compared with a normal day?",
  answerKindLead: "In short: {explain}",
  answerMove:
    "Offline, I cannot see today's news, so I cannot name the exact cause of the {move}. These are the usual reasons for such moves.",
  answerMovePoints: [
    "News: regulation, hacks, ETF flows or big company announcements.",
    "Macro: interest-rate expectations and moves in stocks often drag crypto along.",
    "Leverage: when prices drop, forced liquidations of borrowed positions make the fall steeper.",
    "Profit-taking after a rally: large holders sell, and others follow.",
  ],
  answerMoveLearning: "Why can liquidations of leveraged positions make a price drop much steeper?",
  answerAssets: "The text mentions {assets}.",
  conceptSimple: "In plain words: {short}",
  conceptExampleMore:
    "Try it on a small amount first: a test with a few dollars teaches more than any article.",
  conceptStepsLead: "Let's take “{term}” step by step.",
  conceptSteps: [
    "Step 1 — the idea: {short}",
    "Step 2 — the main rule: {point}",
    "Step 3 — the risk to know: {point2}",
    "Step 4 — in practice: {example}",
  ],
  conceptQuestions: [
    "How would you explain “{term}” to a friend in one sentence?",
    "What is the most common beginner mistake with {term}, and how would you avoid it?",
    "Where have you already met {term} in the news or apps you use?",
  ],
  conceptAnalogyLimit:
    "Where the analogy breaks: in crypto mistakes are usually final — there is no bank to call.",
};

// === Russian

const RU_KINDS: Record<EventKind, KindTexts> = {
  etf: {
    topic: "крипто-ETF",
    about: "новость о биржевом фонде (ETF) на криптовалюту",
    explain:
      "Крипто-ETF — это фонд, который торгуется на обычной фондовой бирже и держит монеты за своих инвесторов. Так криптовалюту можно купить через обычный брокерский счёт.",
    why: {
      bullish:
        "одобрение или приток денег в ETF открывает дорогу пенсионным фондам и клиентам брокеров, и их деньги идут в {assets}.",
      bearish:
        "отказ, отсрочка или отток из фонда означает, что новых денег в {assets} через регулируемые каналы пока придёт меньше.",
      neutral:
        "решения по ETF двигают цену в основном в день объявления, а до тех пор рынок живёт ожиданиями.",
    },
    simple: {
      bullish:
        "крупные и осторожные инвесторы получили простой способ купить {assets}, а это обычно поддерживает цену.",
      bearish:
        "простой путь для крупных инвесторов в {assets} пока закрыт или деньги из него уходят — покупок меньше.",
      neutral: "есть новости о фонде на {assets}, но явного толчка вверх или вниз пока нет.",
    },
    amount:
      "Сумма в новости: {amount}. Потоки денег в фонды показывают, приходят крупные инвесторы или уходят.",
    tips: [
      "Решения по ETF часто отыгрываются за несколько часов: торгуя сразу после скачка или падения, вы торгуете против тех, кто успел раньше.",
      "Следите за ежедневными потоками в фонды неделю, а не за одним заголовком: тренд говорит больше, чем один день.",
    ],
    analogy:
      "ETF похож на кассу, которая продаёт билеты на концерт через ваш банк: группа (монета) та же, но теперь билет могут купить и те, кто никогда не ходил на площадку.",
    example:
      "Пример: когда спотовые ETF на {coin} торгуются на бирже, обычный инвестор получает цену {coinGen} через брокерский счёт, а фонд под каждую новую долю докупает настоящий {coin}.",
    check:
      "найдите заявление самого регулятора или документы фонда: в заголовках часто путают подачу заявки, одобрение и запуск.",
    questions: [
      "Кто получает доступ к монете через этот фонд, хотя раньше купить её не мог?",
      "Рынок ждал этого решения или оно стало сюрпризом?",
      "Деньги приходят в фонд или уходят из него — и сколько дней подряд?",
    ],
    learning: [
      "Чем покупка ETF на {coin} отличается от покупки самого {coinGen}?",
      "Почему одобрение ETF может двинуть цену {coinGen} ещё до того, как в фонд придут деньги?",
    ],
  },
  regulation: {
    topic: "регулирование криптовалют",
    about: "новость о регулировании криптовалют",
    explain:
      "Регулирование — это правила, которые государства и центробанки устанавливают для криптовалют: что разрешено, кому нужна лицензия, как платить налоги и что запрещено.",
    why: {
      bullish:
        "понятные или более мягкие правила позволяют банкам, фондам и компаниям работать с {assetsIns} без юридических рисков, и спрос растёт.",
      bearish:
        "запреты, новые налоги и давление властей отрезают пользователей и бизнес от {assetsGen}, а страх распространяется быстрее самих правил.",
      neutral:
        "правило начинает влиять, когда оно принято и применяется; проекты и заявления по дороге часто меняются.",
    },
    simple: {
      bullish:
        "власти сделали использование криптовалют проще или безопаснее, и это помогает {assetsDat}.",
      bearish: "власти усложнили использование криптовалют, и это вредит {assetsDat}.",
      neutral: "власти обсуждают правила для криптовалют, но решающего пока ничего не изменилось.",
    },
    amount: "В новости упоминается {amount}; для регулирования важнее сами правила, чем сумма.",
    tips: [
      "Проверьте, какой страны касается правило: запрет в одной стране редко меняет что-то для вас в другой.",
      "Законопроект — ещё не закон: дождитесь окончательного голосования и даты вступления в силу.",
    ],
    analogy:
      "Регулирование похоже на правила дорожного движения для нового вида транспорта: понятные правила выводят на дорогу больше водителей, запрет закрывает дорогу.",
    example:
      "Пример: с вступлением в силу европейского регламента MiCA биржи получили одну лицензию на весь ЕС вместо отдельной в каждой стране.",
    check:
      "посмотрите, кто именно издал правило (парламент, регулятор или отдельный чиновник) и с какой даты оно действует.",
    questions: [
      "Какой страны или региона касается правило и затрагивает ли оно вас?",
      "Это окончательное решение, проект или просто заявление?",
      "Кто выигрывает и кто проигрывает от правила: пользователи, биржи или майнеры?",
    ],
    learning: [
      "Почему рынок реагирует на законопроект ещё до его принятия?",
      "Как запрет криптовалют в одной стране может повлиять на цены во всём мире?",
    ],
  },
  hack: {
    topic: "взломы",
    about: "новость о взломе или краже средств",
    explain:
      "Взлом (эксплойт) — это когда злоумышленники крадут средства биржи, кошелька или протокола, используя ошибку в коде, украденные ключи или обман пользователей.",
    why: {
      bullish:
        "опасения не подтвердились или ущерб оказался меньше, и давление на {assets} ослабевает.",
      bearish:
        "украденные монеты часто быстро продают, а пользователи выводят деньги с похожих площадок — это давит на {assets}.",
      neutral:
        "масштаб ущерба и то, кто его покроет, пока неясны; реакция зависит от того, вернут ли пользователям деньги.",
    },
    simple: {
      bullish:
        "кражи не было или она оказалась меньше, чем боялись, поэтому беспокойство за {assets} утихает.",
      bearish: "воры украли деньги, люди нервничают и продают {assets}.",
      neutral: "был инцидент с безопасностью; насколько это плохо для {assetsGen}, пока неясно.",
    },
    amount: "Сумма ущерба: {amount}. Чем она больше, тем сильнее удар по доверию к площадке.",
    tips: [
      "Не спешите «покупать на падении» после взлома: подробности и новые потери часто всплывают несколько дней.",
      "Храните долгосрочные сбережения в собственном кошельке, а не на одной бирже или в одном протоколе.",
    ],
    analogy:
      "Взлом похож на ограбление банка, где хранилище — это программа: воры нашли незапертую дверь в коде.",
    example:
      "Пример: после взлома Bybit в феврале 2025 года (около 1,5 млрд $ в ETH) биржа покрыла потери клиентов, и рынок успокоился за несколько дней.",
    check:
      "найдите официальное заявление площадки: покрыты ли средства пользователей и работают ли ввод и вывод.",
    questions: [
      "Чьи деньги украдены: самой площадки или пользователей?",
      "Покроет ли площадка потери и из каких резервов?",
      "Может ли такая же уязвимость быть в других проектах, которыми вы пользуетесь?",
    ],
    learning: [
      "Почему хранение монет в собственном кошельке защищает от взлома биржи?",
      "Чем взлом протокола отличается от фишинговой атаки на пользователей?",
    ],
  },
  outage: {
    topic: "сбои сетей",
    about: "новость о сбое сети или биржи",
    explain:
      "Сбой — это когда блокчейн перестаёт производить блоки или биржа перестаёт работать, и переводы и сделки на время застревают.",
    why: {
      bullish:
        "сервис снова работает или сбой оказался меньше, чем боялись, и доверие к {assetsDat} восстанавливается.",
      bearish:
        "застрявшие переводы подрывают доверие к {assetsDat}: трейдеры не могут реагировать, а часть пользователей уходит к более надёжным конкурентам.",
      neutral: "короткие сбои обычно быстро забываются, если не повторяются.",
    },
    simple: {
      bullish: "система снова работает, и беспокойство за {assets} утихает.",
      bearish:
        "система на время перестала работать, и людям стало чуть меньше доверия к {assetsDat}.",
      neutral: "были технические проблемы; на {assets} это, скорее всего, повлияет слабо.",
    },
    amount: "В новости упоминается {amount}; для сбоя важнее его длительность и повторяемость.",
    tips: [
      "Не отправляйте монеты снова и снова во время сбоя — дождитесь официального сообщения, что всё исправлено.",
      "Если биржа остановила вывод, не продавайте в панике: сначала проверьте её страницу статуса.",
    ],
    analogy:
      "Сбой сети похож на остановку линии метро: поезда и билеты никуда не делись, но ехать нельзя, пока движение не восстановят.",
    example:
      "Пример: в феврале 2024 года Solana около пяти часов не производила блоки; переводы возобновились после обновления валидаторов.",
    check:
      "проверьте страницу статуса проекта: закончился ли сбой и потеряны ли средства или они только задержаны.",
    questions: [
      "Сколько длился сбой и случался ли он раньше?",
      "Средства потеряны или только задержаны?",
      "Что сделала команда, чтобы это не повторилось?",
    ],
    learning: [
      "Почему сбой блокчейна тревожит инвесторов, даже если деньги не пропали?",
      "Что происходит с транзакцией, отправленной прямо перед остановкой сети?",
    ],
  },
  listing: {
    topic: "листинги на биржах",
    about: "новость о листинге или делистинге",
    explain:
      "Листинг — это начало торгов монетой на бирже, делистинг — их прекращение. Листинг даёт монете новых покупателей, делистинг их отнимает.",
    why: {
      bullish:
        "новый листинг показывает {assets} миллионам новых покупателей, и цена часто подскакивает уже на объявлении.",
      bearish:
        "делистинг отрезает {assets} от пользователей биржи, и держатели продают до остановки торгов.",
      neutral:
        "новости о листинге сильно двигают мелкие монеты и почти не влияют на крупные, которые и так торгуются везде.",
    },
    simple: {
      bullish: "крупная биржа разрешит торговать {assetsIns}, и купить монету смогут больше людей.",
      bearish: "биржа перестанет торговать {assetsIns}, и купить монету смогут меньше людей.",
      neutral: "есть биржевая новость про {assets}, но сама по себе она мало что меняет.",
    },
    amount: "В новости упоминается {amount}; для листинга важнее размер биржи.",
    tips: [
      "Рост на листинге часто сходит на нет за несколько дней — не покупайте на пике объявления.",
      "Проверьте даты на сайте самой биржи; перед делистингом переведите монеты в кошелёк или на другую биржу.",
    ],
    analogy:
      "Листинг похож на то, что товар попал на полки крупного супермаркета, а делистинг — на то, что его с полок убрали.",
    example:
      "Пример: мелкие токены нередко растут на 30–50 % в день объявления листинга на крупной бирже и за неделю отдают часть роста.",
    check:
      "найдите объявление на сайте самой биржи: мошенники подделывают новости о листинге, чтобы разогнать цену.",
    questions: [
      "Насколько крупная биржа и торгуется ли монета уже где-то ещё?",
      "Когда именно начнутся или прекратятся торги?",
      "Что будет с монетами, оставшимися на бирже после делистинга?",
    ],
    learning: [
      "Почему мелкие монеты сильнее реагируют на листинг, чем биткоин?",
      "Что делать с монетой, которую биржа собирается делистить?",
    ],
  },
  partnership: {
    topic: "партнёрства",
    about: "новость о партнёрстве или внедрении криптовалют",
    explain:
      "Внедрение — это когда компании, магазины или платёжные сети начинают использовать блокчейн или принимать монету; партнёрства — сделки, которые к этому ведут.",
    why: {
      bullish:
        "реальное использование известными компаниями может дать {assetsDat} устойчивый спрос, а не только спекулятивный.",
      bearish:
        "разрыв партнёрства или остановка внедрения убирает одну из причин держать {assets}.",
      neutral:
        "новостей о партнёрствах много; надолго важны только те, за которыми стоят реальные пользователи и деньги.",
    },
    simple: {
      bullish:
        "известная компания начала использовать {assets} — значит, монета полезна в реальной жизни.",
      bearish: "компания перестала использовать {assets}, и монета выглядит менее полезной.",
      neutral:
        "компании говорят о работе с {assetsIns}; важно ли это, покажет реальное использование.",
    },
    amount: "Сумма сделки: {amount}; сравните её с размером проекта, чтобы оценить вес новости.",
    tips: [
      "Ищите цифры за партнёрством (пользователи, объёмы): «изучаем возможность сотрудничества» часто ничего не значит.",
      "Цена часто растёт на объявлении и потом откатывается; реальное внедрение видно через месяцы.",
    ],
    analogy:
      "Партнёрство похоже на то, что популярное кафе начало принимать новую платёжную карту: важно, будут ли гости ей действительно платить.",
    example:
      "Пример: когда платёжный гигант позволяет магазинам принимать стейблкоины, каждый магазин становится возможным пользователем, не разбираясь в криптовалютах.",
    check: "проверьте, подтвердила ли сделку сама компания и пилот это или полноценный запуск.",
    questions: [
      "Кто будет этим пользоваться: миллионы клиентов или небольшая тестовая группа?",
      "Объявили об этом обе компании или только криптопроект?",
      "Что меняется для обычного владельца монеты?",
    ],
    learning: [
      "Почему реальное внедрение важнее для долгосрочной цены монеты, чем однодневный рост?",
      "Как отличить настоящее партнёрство от маркетингового объявления?",
    ],
  },
  macro: {
    topic: "процентные ставки",
    about: "новость об экономике и процентных ставках",
    explain:
      "Макроэкономические новости касаются всей экономики: ставок центробанков, инфляции, рынка труда. Криптовалюты часто движутся вместе с другими рискованными активами.",
    why: {
      bullish:
        "снижение ставок или замедление инфляции делает деньги дешевле, а риск привлекательнее — это обычно поддерживает {assets}.",
      bearish:
        "высокие ставки или ускорение инфляции делают надёжные вклады выгоднее, и деньги уходят из рискованных активов вроде {assetsGen}.",
      neutral:
        "рынок реагирует на сюрпризы; решение, совпавшее с ожиданиями, часто мало что меняет.",
    },
    simple: {
      bullish:
        "брать деньги в долг стало дешевле, и люди охотнее покупают рискованное, например {assets}.",
      bearish: "деньги подорожали, и люди меньше вкладывают в рискованное, например {assets}.",
      neutral:
        "новости экономики оказались примерно такими, как ждали, и сильной причины для движения {assetsGen} нет.",
    },
    amount: "В новости упоминается {amount}; для макроновостей главное — отличие от прогноза.",
    tips: [
      "Сравните цифру с прогнозом: рынок движется на сюрпризе, а не на самой цифре.",
      "Вокруг заседаний центробанка цена может за минуты качнуться в обе стороны — не торгуйте на первом движении.",
    ],
    analogy:
      "Процентные ставки похожи на цену воды для сада: когда вода дешёвая, растёт всё, даже самые капризные растения, а когда дорогая — первыми вянут самые рискованные.",
    example:
      "Пример: в 2022 году ФРС быстро повышала ставку, и биткоин за год потерял больше половины стоимости вместе с акциями технологических компаний.",
    check:
      "сравните фактическую цифру с прогнозом и прочитайте, что центробанк говорит о следующих шагах.",
    questions: [
      "Решение стало сюрпризом или его все ждали?",
      "Что центробанк говорит о следующих шагах?",
      "Как отреагировали акции — движутся ли криптовалюты так же?",
    ],
    learning: [
      "Почему повышение процентных ставок обычно давит на цены криптовалют?",
      "Что значит «уже заложено в цену» для решения центробанка?",
    ],
  },
  whale: {
    topic: "киты",
    about: "новость о перемещениях крупных держателей («китов»)",
    explain:
      "Кит — это адрес или инвестор с очень большим количеством монет. Его переводы видны в блокчейне, и трейдеры внимательно за ними следят.",
    why: {
      bullish:
        "когда киты покупают или выводят монеты с бирж, они обычно собираются держать {assets}, и на продажу остаётся меньше монет.",
      bearish:
        "монеты, отправленные на биржу, часто готовят к продаже, а крупная продажа может опустить {assets}.",
      neutral:
        "сам по себе перевод не говорит, зачем он сделан: это может быть перемещение между своими кошельками.",
    },
    simple: {
      bullish:
        "очень крупный владелец купил или убрал в хранилище много {assetsGen} — похоже, он уверен в монете.",
      bearish: "очень крупный владелец, возможно, готовится продать много {assetsGen}.",
      neutral: "крупный владелец переместил {assets}, но зачем — пока неизвестно.",
    },
    amount:
      "Объём перевода: {amount}. Этого достаточно, чтобы повлиять на цену, если продать всё сразу.",
    tips: [
      "Один перевод кита — это намёк, а не сигнал; смотрите на повторяющееся поведение за несколько дней.",
      "Биржи тоже перемещают свои монеты между кошельками: проверьте, чей это адрес, прежде чем реагировать.",
    ],
    analogy:
      "Кит в маленьком бассейне поднимает волны: когда огромный держатель прыгает в воду или выходит из неё, качает всех остальных.",
    example:
      "Пример: когда старый кошелёк, не двигавшийся годами, отправляет монеты на биржу, трейдеры опасаются продажи, и цена нередко проседает на день.",
    check:
      "проверьте, куда ушли монеты: на биржу (возможна продажа), в холодное хранилище (держат) или между кошельками одного владельца.",
    questions: [
      "Куда ушли монеты: на биржу или в частный кошелёк?",
      "Насколько перевод велик по сравнению с дневным объёмом торгов?",
      "Это разовый перевод или часть повторяющегося поведения?",
    ],
    learning: [
      "Почему перевод монет на биржу может предвещать продажу?",
      "Как любой человек может увидеть действия китов в публичном блокчейне?",
    ],
  },
  upgrade: {
    topic: "обновления сетей",
    about: "новость об обновлении сети, форке или халвинге",
    explain:
      "Обновление (хардфорк) меняет правила блокчейна, чтобы добавить функции или исправить проблемы; халвинг вдвое сокращает награду майнерам за новые блоки.",
    why: {
      bullish:
        "успешное обновление делает {assets} быстрее или дешевле в использовании, и это поддерживает долгосрочный спрос.",
      bearish:
        "отложенное или неудачное обновление вызывает сомнения в разработчиках и в {assetsPre}.",
      neutral:
        "об обновлениях обычно известно за месяцы, поэтому значительная часть эффекта уже в цене.",
    },
    simple: {
      bullish: "сеть {assetsGen} получила улучшение, с которым работает лучше.",
      bearish: "плановое улучшение сети {assetsGen} столкнулось с проблемами или отложено.",
      neutral: "сеть {assetsGen} меняет правила по графику, о котором все знали заранее.",
    },
    amount:
      "В новости упоминается {amount}; для обновления важнее, что меняется для пользователей.",
    tips: [
      "Обычно с монетами в кошельке во время обновления ничего делать не нужно; остерегайтесь мошенников, предлагающих их «перенести».",
      "Ждите рваной цены вокруг даты обновления: покупают на слухах, продают на факте.",
    ],
    analogy:
      "Обновление сети похоже на обновление системы телефона: телефон тот же, но появляются новые функции, а иногда и новые ошибки.",
    example:
      "Пример: обновление Ethereum Dencun в марте 2024 года в разы удешевило транзакции в сетях второго уровня.",
    check:
      "прочитайте официальный блог проекта: что меняется, с какой даты и нужно ли что-то делать держателям.",
    questions: [
      "Что именно меняется для тех, кто пользуется сетью?",
      "Обновление протестировано или его могут отложить?",
      "Дата была известна заранее — не заложен ли эффект уже в цену?",
    ],
    learning: [
      "Чем хардфорк отличается от обычного обновления программы?",
      "Почему халвинг уменьшает количество новых монет, поступающих на рынок?",
    ],
  },
  lawsuit: {
    topic: "судебные дела",
    about: "новость о судебном иске или решении суда",
    explain:
      "Иски и решения судов определяют, нарушила ли криптокомпания закон, считается ли токен ценной бумагой и какие штрафы или запреты последуют.",
    why: {
      bullish:
        "победа в суде или отзыв иска снимают юридическую неопределённость с {assetsGen} и могут открыть дорогу на биржи и к инвесторам.",
      bearish:
        "обвинения и иски повышают риск штрафов, делистингов и заморозки бизнеса, связанного с {assetsIns}.",
      neutral: "суды длятся месяцами и годами; одно заседание редко решает исход.",
    },
    simple: {
      bullish: "суд решил дело в пользу {assetsGen}, и одно юридическое опасение исчезло.",
      bearish: "кого-то обвинили или подали на него в суд, и над {assetsIns} сгустились тучи.",
      neutral: "идёт судебное дело, связанное с {assetsIns}; окончательный результат впереди.",
    },
    amount:
      "В деле фигурирует {amount}; штрафы такого размера могут серьёзно ударить по бизнесу компании.",
    tips: [
      "Решения можно обжаловать: первая победа или поражение редко ставят точку.",
      "Проверьте, против кого дело — компании или самой монеты: монета обычно переживает компанию.",
    ],
    analogy:
      "Судебное дело похоже на видеопросмотр в футболе: игра на паузе, и решение судьи может изменить весь матч.",
    example:
      "Пример: в июле 2023 года суд в США решил, что XRP при продаже на биржах не является ценной бумагой, и XRP в тот день вырос примерно на 70 %.",
    check:
      "выясните, кто на кого подал в суд, какой суд и окончательное ли это решение или промежуточный шаг.",
    questions: [
      "Дело против компании, человека или касается самой монеты?",
      "Это окончательное решение или шаг, который можно обжаловать?",
      "Что будет с пользователями, если компания проиграет?",
    ],
    learning: [
      "Почему важно, признает ли суд токен ценной бумагой?",
      "Как иск против биржи может повлиять на монеты, которые на ней торгуются?",
    ],
  },
  stablecoin: {
    topic: "стейблкоины",
    about: "новость о стейблкоинах",
    explain:
      "Стейблкоин — токен, который должен всегда стоить один доллар (или другую валюту) и обеспечен резервами. Эмиссия добавляет новые монеты, а потеря привязки — это когда цена уходит от 1 $.",
    why: {
      bullish:
        "новые стейблкоины обычно означают свежие доллары, готовые к покупке криптовалют, — это может поддержать {assets} и весь рынок.",
      bearish:
        "потеря привязки или массовое погашение подрывают доверие к «надёжным» цифровым долларам, и паника может перекинуться на весь рынок.",
      neutral: "небольшие колебания около 1 $ — это нормально; важен только устойчивый отрыв.",
    },
    simple: {
      bullish:
        "выпустили больше «цифровых долларов» — часто это значит, что люди собираются покупать криптовалюту.",
      bearish: "«цифровой доллар» перестал стоить ровно доллар, и это пугает людей.",
      neutral: "есть новости о «цифровых долларах», но ничего драматичного пока нет.",
    },
    amount:
      "Объём: {amount}. Крупные выпуски или погашения показывают, приходят деньги на криптовалютный рынок или уходят.",
    tips: [
      "Держите стейблкоины крупных эмитентов с опубликованными резервами и не храните всё в одной монете.",
      "Если стейблкоин часами торгуется ниже 0,98 $, это тревожный сигнал, а не выгодная покупка.",
    ],
    analogy:
      "Стейблкоин похож на фишку казино номиналом в один доллар: она работает, пока касса всегда готова обменять её обратно на настоящий доллар.",
    example:
      "Пример: в марте 2023 года USDC ненадолго упал примерно до 0,88 $, когда часть резервов застряла в обанкротившемся банке, и восстановился, когда деньги оказались в безопасности.",
    check: "проверьте отчёт эмитента о резервах и торгуется ли монета по 1 $ на крупных биржах.",
    questions: [
      "Чем обеспечен этот стейблкоин: деньгами, облигациями или другой криптовалютой?",
      "Можно ли прямо сейчас обменять его обратно на доллары?",
      "Как отрыв от привязки к 1 $ повлиял бы на другие монеты?",
    ],
    learning: [
      "Что удерживает цену стейблкоина на уровне одного доллара?",
      "Почему стейблкоин может потерять привязку, даже если у него есть резервы?",
    ],
  },
  general: {
    topic: "движения цены",
    about: "общая новость рынка",
    explain:
      "Не у каждой новости есть одна причина: цены движутся и от настроений, фиксации прибыли и общего состояния рынка.",
    why: {
      bullish:
        "сейчас на рынке преобладают покупатели, но рост без ясной причины может так же быстро развернуться.",
      bearish:
        "сейчас преобладают продавцы; падения без ясной причины часто — часть обычных колебаний.",
      neutral: "здесь нет явного сигнала вверх или вниз для {assetsGen}.",
    },
    simple: {
      bullish: "цена {assetsGen} выросла.",
      bearish: "цена {assetsGen} снизилась.",
      neutral: "для {assetsGen} почти ничего не изменилось.",
    },
    amount: "В новости упоминается {amount}; сравните с дневным объёмом торгов, чтобы оценить вес.",
    tips: [
      "Заранее решите, какую сумму готовы потерять, и не меняйте план из-за движения одного дня.",
      "Движение одного дня говорит мало: посмотрите на недельный или месячный график, прежде чем делать выводы.",
    ],
    analogy:
      "Дневные цены криптовалют похожи на погоду: сегодняшняя гроза или солнце мало говорят о климате.",
    example: "Пример: биткоин нередко меняется на 3–5 % за день вообще без особых новостей.",
    check:
      "найдите причину движения минимум в двух независимых источниках, прежде чем верить объяснению.",
    questions: [
      "Есть ли у движения конкретная причина или это обычная волатильность?",
      "Как это движение выглядит на недельном графике?",
      "Двигались ли другие монеты так же и в то же время?",
    ],
    learning: [
      "Почему цены криптовалют могут меняться на несколько процентов за день без новостей?",
      "Чем тренд отличается от движения одного дня?",
    ],
  },
};

const RU_CONCEPTS: Record<ConceptId, ConceptTexts> = {
  investing: {
    term: "стоит ли покупать или продавать",
    definition:
      "Никто не может точно сказать, удачный ли сейчас момент для покупки или продажи: цены криптовалют трудно предсказать даже профессионалам. Зато вы можете управлять тем, сколько рискуете и как принимаете решения.",
    analogy:
      "Инвестиции в криптовалюту похожи на плавание в шторм: волны вы не контролируете, но решаете, сколько груза взять на борт и надеть ли спасательный жилет.",
    example:
      "Пример: покупка на фиксированные 50 $ каждый месяц (усреднение) распределяет вход по максимумам и минимумам, вместо ставки на один день.",
    points: [
      "Вкладывайте только те деньги, потеря которых не навредит вашей жизни: криптовалюта может упасть на 50 % и больше.",
      "Покупка небольшими частями со временем снижает риск войти на пике.",
      "Остерегайтесь тех, кто обещает гарантированный доход, — это классический признак мошенничества.",
    ],
    learning: "Почему покупка небольшими частями менее рискованна, чем покупка всего сразу?",
  },
  seed_phrase: {
    term: "сид-фраза",
    definition:
      "Сид-фраза — это 12 или 24 слова, по которым можно восстановить весь кошелёк на любом устройстве. Кто знает эти слова, тот распоряжается вашими монетами.",
    analogy:
      "Сид-фраза похожа на мастер-ключ от банковской ячейки: потеряете — не попадёте внутрь, покажете кому-то — ячейку смогут опустошить.",
    example:
      "Пример: если телефон сломался, вы ставите приложение кошелька на новый телефон, вводите 12 слов — и все монеты снова на месте.",
    points: [
      "Запишите её на бумаге (или металле) и храните офлайн: никаких скриншотов, облачных заметок и чатов.",
      "Настоящая поддержка, биржа или раздача токенов никогда её не попросит.",
      "Если потерять и фразу, и устройство, монеты пропадут навсегда: восстановить её некому.",
    ],
    learning: "Почему нельзя вводить сид-фразу на сайте, даже если он выглядит официальным?",
  },
  private_key: {
    term: "приватный ключ",
    definition:
      "Приватный ключ — это секретное число, которое доказывает, что монеты на адресе ваши, и позволяет подписывать переводы. Сид-фраза — удобный для человека способ сохранить ключи.",
    analogy:
      "Адрес похож на номер почтового ящика, который видят все, а приватный ключ — единственный ключ, который его открывает.",
    example:
      "Пример: когда вы отправляете монеты, кошелёк подписывает перевод приватным ключом, а сеть проверяет подпись, никогда не видя сам ключ.",
    points: [
      "У кого приватный ключ, у того и монеты — банка, который отменит кражу, нет.",
      "На бирже ключи хранит биржа: «не ваши ключи — не ваши монеты».",
      "Аппаратный кошелёк держит ключ внутри устройства, и тот никогда не попадает в интернет.",
    ],
    learning: "Чем публичный адрес отличается от приватного ключа?",
  },
  wallet: {
    term: "криптокошелёк",
    definition:
      "Криптокошелёк — это приложение или устройство, которое хранит ваши ключи и позволяет отправлять и получать монеты. Сами монеты живут в блокчейне, а кошелёк хранит ключи к ним.",
    analogy:
      "Кошелёк похож на связку ключей, а не на портмоне: деньги лежат в хранилище блокчейна, а у вас ключи от ваших ячеек.",
    example:
      "Пример: «горячий» кошелёк — приложение на телефоне (удобно, но онлайн), «холодный» — аппаратное устройство без выхода в сеть (надёжнее для сбережений).",
    points: [
      "Горячие кошельки удобны для небольших сумм, холодные лучше подходят для сбережений.",
      "Сохраните сид-фразу сразу при создании кошелька.",
      "Всегда проверяйте адрес перед отправкой: перевод в блокчейне нельзя отменить.",
    ],
    learning:
      "Почему аппаратный (холодный) кошелёк надёжнее приложения на телефоне для долгих сбережений?",
  },
  stablecoin: {
    term: "стейблкоин",
    definition:
      "Стейблкоин — это криптотокен, цена которого привязана к стабильному активу, обычно к доллару США, и обеспечена резервами вроде денег и краткосрочных облигаций. Крупнейшие — USDT и USDC.",
    analogy:
      "Стейблкоин похож на фишку казино ровно за один доллар: она полезна, пока касса всегда готова обменять её обратно.",
    example:
      "Пример: трейдеры продают биткоин за USDT, чтобы «выйти» из рынка, не выводя деньги в банк.",
    points: [
      "Он надёжен ровно настолько, насколько надёжны резервы и эмитент: проверяйте, публикуются ли резервы и аудит.",
      "Стейблкоин может на время потерять привязку, если люди засомневаются в резервах.",
      "Сам по себе он ничего не приносит; любая «доходность» — это выдача его в долг, с риском.",
    ],
    learning: "Что должно выполняться, чтобы стейблкоин продолжал стоить один доллар?",
  },
  defi: {
    term: "DeFi (децентрализованные финансы)",
    definition:
      "DeFi — это финансовые услуги (займы, обмен, доход на вклады), которые работают на смарт-контрактах в блокчейне вместо банков. Пользоваться ими может любой, у кого есть кошелёк.",
    analogy:
      "DeFi похож на автомат с финансовыми услугами: нет сотрудника, есть правила в коде, доступные всем.",
    example:
      "Пример: в протоколе кредитования вы вносите ETH как залог и берёте под него стейблкоины — без анкет и справок.",
    points: [
      "В коде бывают ошибки: через эксплойты из DeFi-протоколов украли миллиарды.",
      "Нет службы поддержки, которая отменит ошибку или неудачную транзакцию.",
      "Высокая доходность обычно означает высокий риск — спрашивайте, откуда она берётся.",
    ],
    learning: "Почему ошибка в смарт-контракте может стоить пользователям DeFi их денег?",
  },
  staking: {
    term: "стейкинг",
    definition:
      "Стейкинг — это блокировка монет, чтобы помогать защищать блокчейн на proof-of-stake (например, Ethereum или Solana); за это сеть платит вознаграждение в той же монете.",
    analogy:
      "Стейкинг похож на депозит, который ещё и гарантирует честность: сеть платит проценты, а нечестный валидатор теряет часть залога.",
    example:
      "Пример: стейкинг 1 ETH под 3–4 % годовых даст примерно 0,03–0,04 ETH за год, но в долларах стоимость всё равно зависит от цены ETH.",
    points: [
      "Награда приходит в той же монете, поэтому падение цены может её перекрыть.",
      "Монеты могут быть заблокированы на время, а вывод из стейкинга занимает дни.",
      "Стейкинг через биржу прост, но означает доверие бирже ваших монет.",
    ],
    learning: "Почему можно потерять деньги в долларах, даже получая награды за стейкинг?",
  },
  etf: {
    term: "ETF (биржевой фонд)",
    definition:
      "ETF — это фонд, который торгуется на фондовой бирже как обычная акция. Спотовый ETF на {coin} держит сам {coin}, и инвесторы получают его цену через обычный брокерский счёт.",
    analogy:
      "ETF похож на долю в общем сейфе со слитками золота: вам принадлежит часть сейфа, а не слиток в кармане.",
    example:
      "Пример: пенсионный фонд, которому нельзя держать криптовалюту напрямую, может купить акции спотового ETF на {coin}.",
    points: [
      "Вывести монеты из ETF нельзя — вам принадлежат доли фонда.",
      "ETF берёт ежегодную комиссию и торгуется только в часы работы фондовой биржи.",
      "Крупные притоки или оттоки из ETF могут двигать цену монеты.",
    ],
    learning: "Чем владение долей ETF на {coin} отличается от владения {coinIns} в своём кошельке?",
  },
  halving: {
    term: "халвинг",
    definition:
      "Халвинг — это уменьшение вдвое награды майнерам за каждый новый блок биткоина. Он происходит примерно раз в четыре года (последний — в апреле 2024 года) и замедляет появление новых монет.",
    analogy:
      "Халвинг похож на золотой рудник, где каждые четыре года жила становится вдвое беднее: та же работа приносит вдвое меньше нового золота.",
    example: "Пример: в апреле 2024 года награда за блок снизилась с 6,25 до 3,125 BTC.",
    points: [
      "Он заложен в код, поэтому дата известна всем заранее.",
      "После прошлых халвингов случались большие росты, но прошлое ничего не гарантирует.",
      "Майнеры с высокими затратами могут испытывать трудности и продавать монеты вокруг халвинга.",
    ],
    learning: "Почему халвинг уменьшает приток новых биткоинов?",
  },
  gas_fee: {
    term: "газ (комиссия сети)",
    definition:
      "Газ — это плата сети за обработку транзакции. В Ethereum она растёт, когда сетью одновременно пользуется много людей, — как повышенный тариф такси.",
    analogy:
      "Газ похож на цену такси в час пик: та же поездка стоит дороже, когда машина нужна всем.",
    example:
      "Пример: простой перевод ETH может стоить центы спокойной ночью и несколько долларов во время популярного запуска токена.",
    points: [
      "Комиссия списывается, даже если транзакция не прошла.",
      "Сети второго уровня (Arbitrum, Base, Optimism) обычно намного дешевле.",
      "Отправка в спокойные часы часто обходится дешевле.",
    ],
    learning: "Почему комиссии сети растут, когда блокчейном пользуется много людей одновременно?",
  },
  smart_contract: {
    term: "смарт-контракт",
    definition:
      "Смарт-контракт — это программа в блокчейне, которая выполняется автоматически при наступлении условий. После запуска никто не может по своему желанию изменить или остановить её.",
    analogy:
      "Смарт-контракт похож на торговый автомат: бросили нужную монету — получили шоколадку, продавец не нужен, и автомат делает ровно то, что в нём заложено, включая ошибки.",
    example:
      "Пример: контракт обменника меняет ваши USDC на ETH по текущей цене пула в момент подтверждения.",
    points: [
      "Он делает ровно то, что написано в коде, включая ошибки в коде.",
      "Прежде чем подтвердить контракт в кошельке, убедитесь, что вы на настоящем сайте проекта.",
      "Аудит снижает риск ошибок, но не убирает его.",
    ],
    learning: "Почему смарт-контракт нельзя «исправить» так же легко, как обычное приложение?",
  },
  nft: {
    term: "NFT",
    definition:
      "NFT (невзаимозаменяемый токен) — это уникальный токен в блокчейне, который фиксирует, кому принадлежит конкретная вещь: картинка, игровой предмет или билет. В отличие от монет, каждый NFT особенный.",
    analogy:
      "NFT похож на билет на концерт с номером места: билетов много, но у каждого своё место.",
    example: "Пример: игра может выдать вам NFT-меч, который вы продадите другому игроку вне игры.",
    points: [
      "Владение NFT не всегда означает авторские права на изображение.",
      "Большинство NFT сложно продать: покупателя по нужной цене может не найтись.",
      "Поддельные коллекции копируют популярные — проверяйте официальный контракт.",
    ],
    learning: "Чем NFT отличается от обычной монеты вроде ETH?",
  },
  dao: {
    term: "DAO",
    definition:
      "DAO (децентрализованная автономная организация) — это сообщество, которое управляется правилами в блокчейне: участники голосуют токенами, а код исполняет решения, например тратит деньги из общей казны.",
    analogy:
      "DAO похоже на клуб, где устав записан в коде, а касса открывается, только когда достаточно участников проголосует «за».",
    example:
      "Пример: держатели токена управления голосуют за изменение комиссии протокола, и новая комиссия начинает действовать автоматически.",
    points: [
      "Больше токенов — обычно больше голосов, поэтому крупные держатели могут доминировать.",
      "Ошибками в коде голосования или казны могут воспользоваться злоумышленники.",
      "Правовой статус DAO в разных странах разный.",
    ],
    learning: "Почему несколько крупных держателей токенов могут контролировать голосования в DAO?",
  },
  layer2: {
    term: "сеть второго уровня (layer 2)",
    definition:
      "Сеть второго уровня работает поверх блокчейна (обычно Ethereum): она собирает много транзакций вместе и записывает итог в основную сеть, поэтому переводы быстрее и дешевле.",
    analogy:
      "Layer 2 похож на маршрутку вместо личных машин: много пассажиров едут в одном транспорте, и основная дорога (блокчейн) пропускает больше людей без пробок.",
    example:
      "Пример: обмен, который в Ethereum стоит 5 $, в Arbitrum или Base может стоить несколько центов.",
    points: [
      "Перевод между layer 2 и основной сетью идёт через «мосты», которые часто атакуют хакеры.",
      "У каждой сети второго уровня свои компромиссы безопасности; некоторые пока частично централизованы.",
      "Проверяйте, что отправляете монеты в правильной сети: ошибка сети может стоить средств.",
    ],
    learning: "Как сеть второго уровня делает транзакции дешевле, чем в основной сети?",
  },
  market_cap: {
    term: "рыночная капитализация",
    definition:
      "Капитализация — это цена монеты, умноженная на количество монет в обращении. Она лучше показывает размер проекта по сравнению с другими, чем цена одной монеты.",
    analogy:
      "Сравнивать монеты по цене — всё равно что сравнивать пиццы по цене кусочка, не зная, сколько в каждой кусков; капитализация — это цена всей пиццы.",
    example:
      "Пример: монета по 0,10 $ при 100 млрд монет стоит 10 млрд $ — больше, чем монета по 100 $ при 50 млн монет (5 млрд $).",
    points: [
      "Низкая цена одной монеты не делает её «дешёвой».",
      "Монеты с маленькой капитализацией могут сильнее двигаться в обе стороны.",
      "Смотрите и на полностью разводнённую стоимость: будущие разблокировки добавят монет.",
    ],
    learning: "Почему капитализация лучше показывает размер проекта, чем цена одной монеты?",
  },
  volatility: {
    term: "волатильность",
    definition:
      "Волатильность — это то, насколько сильно и быстро меняется цена. Криптовалюты очень волатильны: движения на 5–10 % за день — обычное дело, намного больше, чем у акций.",
    analogy:
      "Волатильность похожа на турбулентность в полёте: долететь можно, но трясёт сильно, и страшно, если не пристегнулся.",
    example:
      "Пример: биткоин упал примерно на 75 % от пика 2021 года до минимума 2022-го, а к 2024 году вырос более чем втрое.",
    points: [
      "Высокая волатильность означает, что возможны и большие прибыли, и большие потери.",
      "Кредитное плечо умножает волатильность и может обнулить позицию за минуты.",
      "Небольшие регулярные покупки сглаживают эффект колебаний.",
    ],
    learning: "Почему при высокой волатильности кредитное плечо особенно опасно?",
  },
  scam: {
    term: "мошенничество и рагпулы",
    definition:
      "Рагпул — это когда создатели проекта собирают деньги инвесторов и исчезают или сбрасывают свои токены. Другие частые схемы — фальшивые раздачи, фишинговые сайты и «гарантированный доход».",
    analogy:
      "Рагпул похож на магазин, который собрал предзаказы и за ночь закрылся вместе с деньгами покупателей.",
    example:
      "Пример: анонимная команда запускает токен, раскручивает его в соцсетях, а потом разом продаёт все свои токены — и цена падает почти до нуля.",
    points: [
      "Гарантированный доход, давление «успей сейчас» и анонимная команда — тревожные признаки.",
      "Никто честный не попросит вашу сид-фразу или монеты «для проверки» кошелька.",
      "Прежде чем вкладывать, проверьте, что токен можно продать, а не только купить.",
    ],
    learning: "По каким трём признакам можно заподозрить, что криптопроект — мошенничество?",
  },
  mining: {
    term: "майнинг",
    definition:
      "Майнинг — это способ, которым блокчейны на proof-of-work, например биткоин, добавляют новые блоки: компьютеры соревнуются в решении задачи, а победитель получает новые монеты и комиссии.",
    analogy:
      "Майнинг похож на лотерею, где билеты покупают электричеством: чем больше вычислительной мощности, тем больше билетов, а победитель — раз в десять минут.",
    example:
      "Пример: майнер биткоина сейчас получает 3,125 BTC и комиссии за каждый найденный блок.",
    points: [
      "Для прибыльного майнинга нужны специальное оборудование и дешёвое электричество.",
      "Майнинг защищает сеть: атака на неё потребовала бы огромных затрат энергии.",
      "Продажи майнеров могут давить на цену, особенно после халвинга.",
    ],
    learning: "Почему майнинг делает сеть биткоина трудной для атаки?",
  },
  fork: {
    term: "форк",
    definition:
      "Форк — это изменение правил блокчейна. Софтфорк совместим со старыми программами, хардфорк — нет, и если сообщество не договорится, сеть может разделиться на две.",
    analogy:
      "Хардфорк похож на развилку дороги: кто не обновился, едет по старой дороге, остальные — по новой.",
    example: "Пример: в 2017 году разногласия разделили биткоин, и появился Bitcoin Cash.",
    points: [
      "Большинство форков — плановые обновления, и держателям ничего делать не нужно.",
      "Мошенники используют форки как повод попросить сид-фразу, чтобы «получить» монеты.",
      "Спорный форк может создать вторую монету и волатильность вокруг неё.",
    ],
    learning: "Чем плановое обновление отличается от спорного хардфорка?",
  },
  whale: {
    term: "кит",
    definition:
      "Кит — это владелец очень большого количества монет, достаточного, чтобы двигать цену своими покупками или продажами. Блокчейн публичен, поэтому за его переводами можно следить.",
    analogy: "Кит в бассейне поднимает волны, которые раскачивают всех остальных.",
    example: "Пример: перевод тысяч BTC на биржу часто заставляет трейдеров ждать продажи.",
    points: [
      "Не каждый крупный перевод — продажа: биржи и фонды перемещают монеты между своими кошельками.",
      "Монеты с небольшим числом держателей китам двигать проще.",
      "Следите за поведением за несколько дней, а не за одним оповещением.",
    ],
    learning: "Почему перевод на биржу отслеживают внимательнее, чем перевод в частный кошелёк?",
  },
  airdrop: {
    term: "эйрдроп",
    definition:
      "Эйрдроп — это бесплатная раздача токенов пользователям, часто в награду за раннюю активность. Настоящий эйрдроп никогда не требует платы или сид-фразы.",
    analogy:
      "Эйрдроп похож на бесплатные образцы на открытии магазина: приятно, но проверьте, что «подарок» не ловушка.",
    example:
      "Пример: сеть второго уровня раздаёт токены адресам, которые пользовались ею до определённой даты.",
    points: [
      "Фальшивые сайты эйрдропов — один из самых частых способов опустошить кошелёк.",
      "Не подключайте кошелёк к незнакомому сайту, чтобы «забрать» токены.",
      "Полученные токены в вашей стране могут облагаться налогом.",
    ],
    learning: "Как отличить настоящий эйрдроп от мошенничества, которое опустошает кошелёк?",
  },
  altcoin: {
    term: "альткоин",
    definition:
      "Альткоин — это любая криптовалюта, кроме биткоина. Есть крупные проекты вроде Ethereum или Solana, а тысячи других — маленькие и очень рискованные.",
    analogy:
      "Если биткоин — главный магазин, то альткоины — все остальные магазины торгового центра: несколько крупных брендов и много тех, что закроются через год.",
    example:
      "Пример: при падении рынка мелкие альткоины часто теряют в два-три раза больше, чем биткоин.",
    points: [
      "Альткоины обычно волатильнее биткоина.",
      "Проверьте, для чего нужна монета и кто её разрабатывает.",
      "Из-за низкой ликвидности мелкий альткоин бывает трудно продать по честной цене.",
    ],
    learning: "Почему мелкие альткоины при падении рынка обычно теряют больше, чем биткоин?",
  },
  exchange: {
    term: "криптобиржа",
    definition:
      "Криптобиржа — площадка для покупки, продажи и обмена монет. Централизованные биржи (Binance, Coinbase) хранят монеты за вас, а децентрализованные (DEX) позволяют торговать из своего кошелька.",
    analogy:
      "Централизованная биржа похожа на обменник, который ещё и хранит ваши деньги в своём сейфе, а DEX — на автомат, которым вы пользуетесь со своим кошельком.",
    example:
      "Пример: вы пополняете счёт на бирже, покупаете ETH и выводите его в собственный кошелёк на хранение.",
    points: [
      "Монеты на бирже хранит биржа: если её взломают или она обанкротится, их можно потерять.",
      "Пользуйтесь биржами, работающими легально в вашей стране, и включите двухфакторную защиту.",
      "Долгосрочные сбережения выводите в собственный кошелёк.",
    ],
    learning: "Чем рискованно хранить монеты на бирже, а не в собственном кошельке?",
  },
  blockchain: {
    term: "блокчейн",
    definition:
      "Блокчейн — это общий журнал транзакций, который одновременно ведут тысячи компьютеров. Новые записи добавляются блоками, и чтобы изменить старые, пришлось бы переубедить большую часть сети.",
    analogy:
      "Блокчейн похож на тетрадь, копии которой есть у тысяч людей: чтобы подделать запись, нужно одновременно исправить большинство копий.",
    example:
      "Пример: когда вы отправляете биткоин, перевод за несколько минут попадает в блок, и его может увидеть любой в обозревателе блоков.",
    points: [
      "Транзакции публичны, и после подтверждения их нельзя отменить.",
      "Ни одна компания не управляет публичным блокчейном.",
      "Публичный не значит анонимный: адреса часто можно связать с людьми.",
    ],
    learning: "Почему так трудно изменить транзакцию, которая уже попала в блокчейн?",
  },
  crypto: {
    term: "криптовалюта",
    definition:
      "Криптовалюта — это цифровые деньги, которые хранятся в блокчейне, а не в банке. Вы владеете ими с помощью ключей в кошельке, а переводы идут напрямую между людьми.",
    analogy:
      "Криптовалюта похожа на наличные в цифровом виде: их можно передать кому угодно напрямую, но если потеряете — никто не вернёт.",
    example:
      "Пример: можно за несколько минут отправить биткоин другу за границу без банка, заплатив только комиссию сети.",
    points: [
      "Цены сильно колеблются: вкладывайте только то, что готовы потерять.",
      "Ваши ключи — это ваши деньги: храните сид-фразу надёжно.",
      "Переводы нельзя отменить, поэтому внимательно проверяйте адреса.",
    ],
    learning: "Чем хранение криптовалюты на бирже отличается от хранения в собственном кошельке?",
  },
};

const RU_PHRASES: PhraseTexts = {
  market: {
    assets: "криптовалюты",
    assetsGen: "криптовалют",
    assetsDat: "криптовалютам",
    assetsIns: "криптовалютами",
    assetsPre: "криптовалютах",
  },
  assetsPart: " ({assets})",
  toneWord: { bullish: "позитивно", bearish: "негативно" },
  unknownConcept: {
    term: "эта тема",
    definition:
      "В офлайн-словаре нет готового ответа на этот вопрос. Вот как найти надёжный ответ самостоятельно.",
    analogy:
      "Проверять утверждение о криптовалюте — как проверять слух на работе: спрашивать надо того, о ком слух, а не того, кто его пересказывает.",
    example:
      "Пример: прежде чем верить посту о новом токене, откройте официальный сайт проекта и его канал объявлений и сравните.",
    points: [
      "Поищите термин в официальной документации проекта, а не только в соцсетях.",
      "Сравните минимум два независимых источника, прежде чем верить объяснению.",
      "Никогда не сообщайте сид-фразу и не отправляйте монеты «для проверки» — это всегда мошенничество.",
    ],
    learning:
      "Какой источник вы проверите первым, чтобы убедиться в правдивости новости, и почему?",
  },
  list: { and: "и" },
  direction: { bullish: "позитивный", bearish: "негативный", neutral: "нейтральный" },
  risk: { low: "низкий", medium: "средний", high: "высокий" },
  riskNote: {
    low: "сама по себе новость вряд ли сильно сдвинет цены.",
    medium: "пока рынок переваривает новость, цены могут заметно колебаться.",
    high: "вероятны резкие колебания, а история может ухудшиться по мере появления подробностей.",
  },
  horizon: { day: "день-два", week: "около недели", month: "недели и месяцы" },
  horizonNote: {
    day: "основная реакция обычно приходится на первые день-два.",
    week: "эффект обычно проявляется в течение недели.",
    month: "эффект накапливается медленно, неделями и месяцами.",
  },
  whyFrames: [
    "Почему это важно: {why}",
    "Вероятная реакция рынка: {why}",
    "Для рынка: {why}",
  ],
  riskFrames: [
    "Риск: {risk}; горизонт: {horizon}. {riskNoteCap}",
    "Сроки: {horizonNote} Риск {risk}: {riskNote}",
    "Риск {risk}, горизонт — {horizon}: {riskNote}",
  ],
  moveFrames: [
    "{move} — {sizeNote}",
    "В тексте указано движение: {move}. {sizeNoteCap}",
  ],
  moveUp: "{asset} вырос на {percent}",
  moveDown: "{asset} упал на {percent}",
  moveUpNoAsset: "Цена выросла на {percent}",
  moveDownNoAsset: "Цена снизилась на {percent}",
  sizeNote: {
    small: "умеренное движение по меркам криптовалют; обычный день может дать столько же.",
    medium: "заметное движение; часть новости, вероятно, уже учтена в цене.",
    large:
      "резкое движение; после таких скачков цена часто откатывается, так что ждите волатильности.",
  },
  moveBeatsWords:
    "Формулировки звучат {tone}, но указанное движение цены говорит об обратном — то, что сделала цена, важнее слов.",
  negation:
    "Обратите внимание на отрицание: «{phrase}» меняет смысл на противоположный, и при беглом чтении его легко пропустить.",
  assetsLine: "Затронутые монеты: {assets}.",
  noAssets:
    "Конкретные монеты не названы, поэтому эффект, если он будет, скорее распределится по всему рынку.",
  injection: "В тексте есть команды для ИИ — мы их не выполняем и разбираем только факты.",
  factSummary: "Это {about}{assetsPart}.",
  factDirection: {
    bullish: " В целом тон позитивный{movePart}.",
    bearish: " В целом тон негативный{movePart}.",
    neutral: " Тон нейтральный{movePart}.",
  },
  emptySummary: "Текста для анализа нет. Пришлите новость или вопрос о криптовалютах — я объясню.",
  emptyPoints: [
    "Вставьте текст новости о криптовалютах или задайте вопрос, например «Что такое стейкинг?».",
    "Чем больше исходного текста, тем точнее разбор.",
  ],
  emptyLearning: "Какую новость или термин из мира криптовалют вы хотели бы понять лучше?",
  defaultCoin: { coin: "биткоин", coinGen: "биткоина", coinIns: "биткоином" },
  simpleLead: "Если совсем просто: {simple}",
  simpleWhat: "Что случилось: это {about}.",
  simpleDo: "Что делать: {tip}",
  simpleMove: "Что с ценой: {move}.",
  examplesLead: "Разберём на примерах. {summary}",
  examplePosition:
    "Если у вас было {asset} на 1 000 $, после движения на {percent} позиция стоила бы около {after} $.",
  stepsLead: "Разберём по шагам. {summary}",
  steps: [
    "Шаг 1 — что произошло: это {about}.",
    "Шаг 2 — кого касается: {assets}.",
    "Шаг 3 — как отреагировала цена: {move}.",
    "Шаг 4 — что проверить: {check}",
    "Шаг 5 — что делать: {tip}",
  ],
  stepsNoAssets: "конкретные монеты не названы, поэтому следите за рынком в целом",
  stepsNoMove: "в тексте нет цифр, поэтому посмотрите на график, прежде чем делать выводы",
  analogyMap: "Как это связано с новостью: {why}",
  analogyLimits: [
    "Где аналогия не работает: криптовалюты торгуются круглосуточно, поэтому реакция быстрее, а колебания сильнее.",
    "Где аналогия не работает: в криптовалютах нет страховщика или банка, который вернёт потери, поэтому осторожность важнее.",
  ],
  questionsLead: "Попробуйте разобраться сами: ответьте на вопросы по порядку. {summary}",
  questionAsset: "Как изменилась цена {asset} после выхода новости?",
  questionMove:
    "Движение на {percent} — это много или мало для {asset} по сравнению с обычным днём?",
  answerKindLead: "Коротко: {explain}",
  answerMove:
    "Офлайн я не вижу сегодняшних новостей, поэтому не могу назвать точную причину движения ({move}). Вот обычные причины таких движений.",
  answerMovePoints: [
    "Новости: регулирование, взломы, потоки в ETF или заявления крупных компаний.",
    "Макроэкономика: ожидания по ставкам и движение акций часто тянут за собой криптовалюты.",
    "Кредитное плечо: при падении принудительные ликвидации заёмных позиций делают снижение круче.",
    "Фиксация прибыли после роста: крупные держатели продают, остальные следуют за ними.",
  ],
  answerMoveLearning: "Почему ликвидации позиций с кредитным плечом делают падение цены круче?",
  answerAssets: "В тексте упоминаются: {assets}.",
  conceptSimple: "Если совсем просто: {short}",
  conceptExampleMore:
    "Попробуйте сначала на маленькой сумме: тест на несколько долларов научит большему, чем любая статья.",
  conceptStepsLead: "Разберём тему «{term}» по шагам.",
  conceptSteps: [
    "Шаг 1 — суть: {short}",
    "Шаг 2 — главное правило: {point}",
    "Шаг 3 — о каком риске помнить: {point2}",
    "Шаг 4 — на практике: {example}",
  ],
  conceptQuestions: [
    "Как бы вы объяснили другу одним предложением, что такое «{term}»?",
    "Какую ошибку новички чаще всего совершают в теме «{term}» и как её избежать?",
    "Где вы уже встречали тему «{term}» в новостях или приложениях?",
  ],
  conceptAnalogyLimit:
    "Где аналогия не работает: в криптовалютах ошибки обычно окончательны — позвонить в банк некуда.",
};

/**
 * Texts per language.
 *
 * @example The Russian explanation of a hack
 * ```ts
 * OFFLINE_TEXTS.ru.kinds.hack.explain; // "Взлом (эксплойт) — это когда злоумышленники …"
 * ```
 */
export const OFFLINE_TEXTS: Readonly<Record<Lang, OfflineTexts>> = {
  en: { kinds: EN_KINDS, concepts: EN_CONCEPTS, phrases: EN_PHRASES },
  ru: { kinds: RU_KINDS, concepts: RU_CONCEPTS, phrases: RU_PHRASES },
};

// === formatters

/**
 * Formats an unsigned or signed percent the way each language writes it: "5.5%" and "+5.5%"
 * in English, "5,5 %" and "+5,5 %" in Russian (with a real minus sign for negatives).
 *
 * @example Percents in both languages
 * ```ts
 * formatPercent(-3.5, "ru", true); // "−3,5 %"
 * formatPercent(12, "en"); // "12%"
 * ```
 */
export function formatPercent(value: number, lang: Lang, signed = false): string {
  const abs = formatNumber(Math.abs(value), lang, 1);
  const sign = signed ? (value > 0 ? "+" : value < 0 ? "−" : "") : "";
  return lang === "ru" ? `${sign}${abs}\u00a0%` : `${sign}${abs}%`;
}

/**
 * Formats a number with the language's separators: "12,000.5" in English, "12 000,5" in Russian.
 *
 * @example Thousands and decimals
 * ```ts
 * formatNumber(12000.5, "ru", 1); // "12 000,5"
 * ```
 */
export function formatNumber(value: number, lang: Lang, maxDecimals = 2): string {
  const factor = 10 ** maxDecimals;
  const rounded = Math.round(value * factor) / factor;
  const [int, frac] = Math.abs(rounded).toFixed(maxDecimals).split(".");
  const group = lang === "ru" ? "\u00a0" : ",";
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const trimmed = frac?.replace(/0+$/, "") ?? "";
  const sign = rounded < 0 ? "−" : "";
  return `${sign}${grouped}${trimmed ? (lang === "ru" ? "," : ".") + trimmed : ""}`;
}

const SCALES_EN = [[1e12, "trillion"], [1e9, "billion"], [1e6, "million"]] as const;
const SCALES_RU = [[1e12, "трлн"], [1e9, "млрд"], [1e6, "млн"]] as const;

/**
 * Formats a sum: "$150 million" or "150 млн $" for money, "12,000 BTC" or "12 000 BTC" for coins.
 *
 * @param unit `usd`, `eur`, `rub` or a ticker
 * @example Money and coins
 * ```ts
 * formatAmount(150e6, "usd", "en"); // "$150 million"
 * formatAmount(12000, "BTC", "ru"); // "12 000 BTC"
 * ```
 */
export function formatAmount(value: number, unit: string, lang: Lang): string {
  const scales = lang === "ru" ? SCALES_RU : SCALES_EN;
  let number = formatNumber(value, lang, 2);
  for (const [size, word] of scales) {
    if (value >= size) {
      number = `${formatNumber(value / size, lang, 2)} ${word}`;
      break;
    }
  }
  if (unit === "usd") return lang === "ru" ? `${number} $` : `$${number}`;
  if (unit === "eur") return lang === "ru" ? `${number} €` : `€${number}`;
  if (unit === "rub") return lang === "ru" ? `${number} ₽` : `${number} roubles`;
  return `${number} ${unit}`;
}

/**
 * Joins items as a sentence list: "BTC, ETH and SOL" / "BTC, ETH и SOL".
 *
 * @example A list of tickers
 * ```ts
 * formatList(["BTC", "ETH", "SOL"], "en"); // "BTC, ETH and SOL"
 * ```
 */
export function formatList(items: readonly string[], lang: Lang): string {
  if (items.length <= 1) return items[0] ?? "";
  const and = OFFLINE_TEXTS[lang].phrases.list.and;
  return `${items.slice(0, -1).join(", ")} ${and} ${items.at(-1)}`;
}

/**
 * Upper-cases the first letter, for a note that starts a sentence.
 *
 * @example
 * ```ts
 * capitalize("sharp swings are likely."); // "Sharp swings are likely."
 * ```
 */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

/**
 * Lower-cases the first letter of a sentence placed after a colon, leaving abbreviations
 * ("ETF", "SEC") as they are.
 *
 * @example
 * ```ts
 * lowerFirst("Keep savings in your own wallet."); // "keep savings in your own wallet."
 * lowerFirst("ETF flows matter."); // "ETF flows matter."
 * ```
 */
export function lowerFirst(text: string): string {
  if (text.length < 2 || text[1] !== text[1].toLowerCase() || PROPER_NOUN_RE.test(text)) {
    return text;
  }
  return text[0].toLowerCase() + text.slice(1);
}

/** Names that open some texts above and keep their capital after a colon. */
const PROPER_NOUN_RE =
  /^(?:Bitcoin|Ethereum|Solana|Cardano|Polygon|Arbitrum|Optimism|Base|Binance|Coinbase|Tether|Circle|Ripple|Toncoin|Dencun|MiCA|Bybit)(?![\p{L}])/u;
