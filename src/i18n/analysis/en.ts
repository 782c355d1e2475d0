/**
 * The offline analyzer's texts in English (the shape: `types.ts`).
 *
 * @module
 */
import { type ConceptId, type EventKind } from "../../analysis/providers/offline_lexicon.ts";
import { type ConceptTexts, type KindTexts, type OfflineTexts, type PhraseTexts } from "./types.ts";

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

/** Every text of the offline analyzer in English. */
export const EN_ANALYSIS_TEXTS: OfflineTexts = {
  kinds: EN_KINDS,
  concepts: EN_CONCEPTS,
  phrases: EN_PHRASES,
};
