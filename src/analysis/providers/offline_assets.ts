/**
 * The coins the offline analyzer knows, and every way people write them: tickers, names in both
 * languages, nicknames and slang. How sure a spelling is decides how much evidence it needs
 * (docs/ANALYSIS.md, "Assets"): a name like "биткоин" none, an everyday word like "ton" or "link" a
 * trading word right next to it or another coin beside it.
 *
 * Patterns use the lexicon's notation: `*` is the rest of a word, a space any run of whitespace.
 *
 * @module
 */

/** One coin and how it is written. */
export interface AssetDef {
  ticker: string;
  /** Other uppercase symbols for the same asset (spot ETFs that hold only this coin included). */
  symbols?: string[];
  /** Names matched in any case, needing no context. */
  names?: string[];
  /** Names matched only as written (capitalised), still needing no context. */
  proper?: string[];
  /** Names that are also everyday words: matched as written, and only in a crypto text. */
  contextual?: string[];
  /** Nicknames and lower-case tickers matched in any case, only in a crypto text. */
  nicks?: string[];
  /**
   * Everyday words that are also the coin ("ton", "link", "сол"): any case, and only with a
   * trading word or another coin right beside them.
   */
  slang?: string[];
  /** The ticker is also an ordinary abbreviation or word, so it needs a crypto context. */
  risky?: boolean;
  /** The ticker is so common a word ("NOT") that, as written, it too needs a cue beside it. */
  strict?: boolean;
  /** The name is also a place where trading happens: "on Curve", "via Uniswap" is not the coin. */
  venue?: boolean;
}

/** Every coin, the largest first (the order is only for reading). */
export const ASSET_DEFS: readonly AssetDef[] = [
  {
    ticker: "BTC",
    symbols: ["XBT", "IBIT", "FBTC", "GBTC", "ARKB", "BITB", "BTCO"],
    names: [
      "bitcoin*",
      "биткоин*",
      "биткойн*",
      "биток",
      "битка",
      "битку",
      "битке",
      "битки",
      "битков",
      "биткам",
      "битками",
      "битках",
      "битос*",
      "btc",
      "sats",
      "satoshis",
    ],
    slang: ["sat"],
  },
  {
    ticker: "ETH",
    symbols: ["ETHA", "ETHE", "FETH"],
    names: ["ethereum*", "эфириум*", "этериум*", "эфереум*", "эфирк*", "эфирчик*", "eth"],
    proper: ["Ether"],
    contextual: ["ether"],
  },
  { ticker: "USDT", names: ["tether*", "тезер*", "тетер*", "usdt", "юсдт"] },
  { ticker: "BNB", names: ["binance coin", "бнб", "bnb"] },
  { ticker: "SOL", names: ["solana*", "солан*"], risky: true, slang: ["sol", "сол"] },
  { ticker: "XRP", names: ["ripple*", "рипл*", "xrp"] },
  { ticker: "USDC", names: ["usd coin", "usdc"] },
  {
    ticker: "DOGE",
    names: ["dogecoin*", "догикоин*", "доджкоин*", "дожкоин*", "догекоин*", "doge"],
    risky: true,
    nicks: ["доги", "доге", "дож", "додж"],
  },
  { ticker: "ADA", names: ["cardano*", "кардано"], risky: true, slang: ["ada", "ада"] },
  { ticker: "TRX", contextual: ["Tron", "TRON"], nicks: ["trx", "tron", "трон*"] },
  {
    ticker: "TON",
    names: ["toncoin*", "тонкоин*", "the open network"],
    risky: true,
    slang: ["ton", "тон", "тона"],
  },
  { ticker: "AVAX", names: ["аваланч*", "avax", "авакс*"], contextual: ["Avalanche"] },
  { ticker: "SHIB", names: ["shiba inu", "шиба ину", "shib"], nicks: ["шиба", "шибу", "шибы"] },
  { ticker: "LINK", names: ["chainlink*", "чейнлинк*"], risky: true, slang: ["link"] },
  { ticker: "DOT", names: ["polkadot*", "полкадот*"], risky: true, slang: ["dot"] },
  { ticker: "BCH", names: ["bitcoin cash", "биткоин кэш*", "биткойн кэш*", "bch"] },
  { ticker: "DAI", contextual: ["Dai"], nicks: ["dai"] },
  { ticker: "LTC", names: ["litecoin*", "лайткоин*", "ltc"] },
  { ticker: "NEAR", names: ["near protocol"], risky: true },
  { ticker: "MATIC", nicks: ["matic", "матик*"] },
  { ticker: "POL", contextual: ["Polygon", "Полигон*"], risky: true },
  { ticker: "UNI", names: ["uniswap*", "юнисвоп*"], risky: true, venue: true },
  { ticker: "PEPE", contextual: ["Pepe"], nicks: ["pepe", "пепе"] },
  { ticker: "XLM", names: ["stellar lumens", "стеллар*", "xlm"], contextual: ["Stellar"] },
  { ticker: "ATOM", contextual: ["Cosmos"], risky: true },
  { ticker: "XMR", names: ["monero", "монеро", "xmr"] },
  { ticker: "ETC", names: ["ethereum classic", "эфириум классик*"], risky: true },
  { ticker: "FIL", names: ["filecoin*", "файлкоин*"], risky: true },
  { ticker: "APT", proper: ["Aptos"], risky: true },
  { ticker: "ARB", names: ["arbitrum*", "арбитрум*"], risky: true },
  { ticker: "OP", contextual: ["Optimism"], risky: true, slang: ["оптимизм"] },
  { ticker: "SUI", contextual: ["Sui"], slang: ["sui"] },
  { ticker: "HBAR", names: ["hedera*", "хедера", "hbar"] },
  { ticker: "ICP", names: ["internet computer"] },
  { ticker: "CRV", contextual: ["Curve"], nicks: ["crv"], venue: true },
  { ticker: "WIF", names: ["dogwifhat"], slang: ["wif"] },
  { ticker: "BONK", nicks: ["bonk", "бонк"] },
  { ticker: "NOT", names: ["notcoin*", "ноткоин*"], strict: true },
  { ticker: "HMSTR", names: ["hamster kombat", "хамстер комбат"], slang: ["хомяк*"] },
  { ticker: "USDE", names: ["usde"] },
  { ticker: "USDS" },
  { ticker: "FDUSD", names: ["fdusd"] },
  { ticker: "TUSD", names: ["trueusd", "tusd"] },
  { ticker: "PYUSD", names: ["paypal usd", "pyusd"] },
  { ticker: "UST", names: ["terrausd"], risky: true },
  { ticker: "LUNA", names: ["terra luna"], risky: true },
  { ticker: "WLD", names: ["worldcoin*", "ворлдкоин*", "wld"] },
  { ticker: "STRK", names: ["starknet*", "старкнет*"] },
  { ticker: "AAVE", names: ["aave"] },
  { ticker: "LDO", contextual: ["Lido"], venue: true },
  { ticker: "MKR", contextual: ["Maker", "MakerDAO"] },
  { ticker: "ENA", risky: true },
  { ticker: "JUP", contextual: ["Jupiter"], risky: true, venue: true },
  { ticker: "TIA", names: ["celestia"], risky: true },
  { ticker: "INJ", names: ["injective"] },
  { ticker: "SEI", risky: true },
  { ticker: "RENDER", symbols: ["RNDR"], risky: true },
  { ticker: "TAO", names: ["bittensor"], risky: true },
  { ticker: "KAS", names: ["kaspa"], risky: true },
  { ticker: "ONDO", names: ["ondo finance"], risky: true },
  { ticker: "FET", risky: true },
  { ticker: "ALGO", names: ["algorand"] },
  { ticker: "VET", names: ["vechain"], risky: true },
  { ticker: "XTZ", names: ["tezos"] },
  { ticker: "ZEC", names: ["zcash"] },
  { ticker: "FLOKI", names: ["floki"] },
  { ticker: "FTT" },
  { ticker: "CRO", names: ["cronos"], risky: true },
  { ticker: "OKB" },
  { ticker: "TRUMP", risky: true, strict: true },
];
