/**
 * English texts. Every user-facing string lives here and in `ru.ts` under the same keys;
 * `{name}` marks a parameter filled in by {@linkcode t}.
 *
 * @module
 */
export const en = {
  // === Errors
  error_generic: "Something went wrong on our side. Please try again in a moment.",
  error_unavailable:
    "The bot is temporarily unavailable. Your message is safe; please try again shortly.",
  error_upstream: "An outside service did not answer. Please try again in a moment.",
  error_validation: "That input doesn't look right. Please check it and try again.",
  error_rate_limited: "Too many requests. Please try again in a moment.",
  error_not_found: "Not found.",
  error_unauthorized: "Authorization required.",
  error_forbidden: "Access denied.",
  error_method_not_allowed: "This method is not allowed here.",
  error_payload_too_large: "The request is too large (limit {limit} bytes).",
  // === Start, help, menu, language
  start_welcome:
    "👋 Hi, {name}! I'm RVX: I explain crypto news in plain words, answer questions and teach the basics.\n\nLevel {level} · {xp} XP · analyses left today: {left}\n\nPaste a news text, ask a question, or pick from the menu.",
  help_text:
    "<b>How to use RVX</b>\n\n• Paste a crypto news text (10+ characters): I explain what happened, why it matters, which assets, how risky.\n• Ask a question, or /ask &lt;question&gt;.\n• Under each answer: 👍 helpful, 👎 explain differently, 📌 save.\n\n<b>Commands</b>\n/menu · /ask · /learn · /quiz · /profile · /leaderboard · /history · /bookmarks · /stats · /limits · /export · /language · /forget",
  menu_title: "What would you like to do?",
  menu_analyze: "📰 Explain news",
  menu_learn: "📚 Learn",
  menu_profile: "🏅 Profile",
  menu_history: "🕘 History",
  menu_limits: "⏳ Limits",
  menu_help: "❓ Help",
  menu_analyze_hint: "Paste or forward a crypto news text and I'll explain it.",
  language_choose: "Choose your language:",
  language_set: "Language set to English.",
  // === Analysis
  analysis_thinking: "🤔 Reading the news…",
  analysis_too_short: "Send at least 10 characters: a news text or a question.",
  analysis_too_long: "That text is too long ({length} characters). Please send at most {limit}.",
  analysis_ask_usage: "Write your question after the command, for example: /ask what is staking?",
  analysis_flood: "⏳ One moment: you can send the next request in {seconds} s.",
  analysis_quota:
    "📊 You've used all {limit} analyses for today. The next one frees up at {reset} UTC. Lessons and quizzes are still open: /learn",
  analysis_offline_note:
    "ℹ️ Answered by the built-in analyzer (AI is unavailable or your AI limit is reached).",
  analysis_failed: "I couldn't analyse that right now. Please try again in a minute.",
  card_summary: "📰 <b>What happened</b>",
  card_impact: "📌 <b>Why it matters</b>",
  card_sentiment: "Mood",
  card_risk: "Risk",
  card_horizon: "Horizon",
  card_assets: "Assets",
  card_question: "🤔 <b>Think about it</b>",
  card_answer: "💡 <b>Answer</b>",
  card_key_points: "📌 <b>Key points</b>",
  sentiment_bullish: "📈 bullish",
  sentiment_bearish: "📉 bearish",
  sentiment_neutral: "➖ neutral",
  risk_low: "🟢 low",
  risk_medium: "🟡 medium",
  risk_high: "🔴 high",
  horizon_day: "a day",
  horizon_week: "a week",
  horizon_month: "a month",
  button_helpful: "👍",
  button_not_helpful: "👎",
  button_bookmark: "📌",
  button_lesson: "📚 Lesson",
  // === Feedback
  feedback_thanks: "Thanks! Glad it helped.",
  feedback_already: "You already rated this one. Thanks!",
  feedback_style_simple: "🔁 In simpler words:",
  feedback_style_examples: "🔁 With examples:",
  feedback_style_steps: "🔁 Step by step:",
  feedback_style_analogy: "🔁 With an analogy:",
  feedback_style_questions: "🔁 Let's think it through with questions:",
  feedback_style_another: "🔁 One more angle, through questions:",
  feedback_exhausted:
    "I've tried every way I know to explain this one. Ask me a precise question with /ask, or learn the basics with /learn.",
  stale_button: "This button is no longer active.",
  // === Bookmarks, history, export
  bookmark_added: "📌 Saved to /bookmarks",
  bookmark_removed: "Removed from bookmarks",
  bookmarks_empty: "No bookmarks yet. Tap 📌 under an analysis to save it.",
  bookmarks_title: "📌 <b>Your bookmarks</b>",
  history_empty: "No analyses yet. Paste a news text to get your first one.",
  history_title: "🕘 <b>Your last analyses</b>",
  export_empty: "Nothing to export yet.",
  export_caption: "Your RVX history ({count} analyses).",
  export_header: "RVX Bot: your history, exported {date} UTC",
  // === Stats and limits
  stats_text:
    "📊 <b>Your stats</b>\nAnalyses: {analyses} · Questions: {questions} · Feedback: {feedback}\nLevel {level} · {xp} XP\n\n🌍 <b>Everyone</b>\nUsers: {users} · Analyses: {total_analyses}",
  limits_text:
    "⏳ <b>Your limits</b>\nAnalyses today: {used} of {limit} used, {left} left{reset}\nAI answers: {ai_left} of {ai_limit} left in the current {ai_window}-second window\nPause between analyses: {cooldown} s",
  limits_reset: " (next frees up at {time} UTC)",
  limits_unlimited: "unlimited",
  // === Forget
  forget_confirm:
    "⚠️ This erases your profile, XP, history, feedback, bookmarks and progress. It cannot be undone. Continue?",
  forget_yes: "Yes, erase",
  forget_no: "No, keep",
  forget_started: "Erasing your data… I'll tell you when it's done.",
  forget_cancelled: "Nothing was erased.",
  forget_done: "✅ Your data has been erased. Send /start any time to begin again.",
  job_done: "✅ Done.",
  // === Unhandled
  unknown_command: "I don't know that command. See /help.",
  unsupported_message: "I understand text messages: paste a news text or ask a question.",
  // === Commands (setMyCommands)
  command_start: "Start and main menu",
  command_help: "How to use the bot",
  command_menu: "Main menu",
  command_ask: "Ask a question",
  command_learn: "Courses and lessons",
  command_quiz: "Quiz of the current lesson",
  command_profile: "Your XP, level and badges",
  command_leaderboard: "Top learners",
  command_history: "Your last analyses",
  command_bookmarks: "Saved analyses",
  command_stats: "Your and global stats",
  command_limits: "Your limits",
  command_export: "Export your history",
  command_language: "Change language",
  command_forget: "Erase my data",
  // === HTTP API
  api_invalid_field: "Invalid {field}: {reason}",
  api_invalid_body: "The request body must be a UTF-8 JSON object sent as application/json",
  api_admin_required: "Admin token required: send Authorization: Bearer <ADMIN_API_TOKEN>",
  api_key_required: "A valid API key is required: send Authorization: Bearer <key>",
  api_admin_disabled: "The admin API is disabled here: set ADMIN_API_TOKEN to enable it",
  api_key_not_admin: "An API key cannot use admin routes",
  api_admin_not_key:
    "This route takes an API key, not the admin token (create one: POST /api/v1/keys)",
  api_key_quota:
    "This API key used its {limit} analyses for the last 24 h. Try again in {seconds} s.",
  api_user_not_found: "No user with id {id}",
  api_key_not_found: "No API key with id {id}",
  api_analysis_offline: "AI providers did not answer; this analysis was made offline",
  api_internal: "Internal error",
  api_rate_limited: "Too many requests from this address. Try again in {seconds} s.",
} as const;

/** Every message key. */
export type MessageKey = keyof typeof en;
