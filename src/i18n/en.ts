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
  error_payload_too_large: "The request is too large (limit {limit|# byte|# bytes}).",
  // === Start, help, menu, language
  start_welcome:
    "👋 Hi, {name}! I'm RVX: I explain crypto news in plain words, answer questions and teach the basics.\n\nLevel {level} · {xp} XP · analyses left today: {left}\n\nPaste a news text, ask a question, or pick from the menu.",
  help_text:
    "<b>How to use RVX</b>\n\n• Paste a crypto news text (10+ characters): I explain what happened, why it matters, which assets, how risky.\n• Ask a question, or /ask &lt;question&gt;.\n• Under each answer: 👍 helpful, 👎 explain differently, 📌 save.\n\n<b>Commands</b>\n{commands}",
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
  analysis_thinking_question: "🤔 Thinking about your question…",
  analysis_too_short: "Send at least 10 characters: a news text or a question.",
  analysis_too_long:
    "That text is too long ({length|# character|# characters}). Please send at most {limit}.",
  analysis_ask_usage: "Write your question after the command, for example: /ask what is staking?",
  analysis_flood: "⏳ One moment: you can send the next request in {seconds} s.",
  analysis_quota:
    "📊 You've used {limit|your # analysis|all # analyses} for today. The next one frees up {when}. Lessons and quizzes are still open: /learn",
  analysis_offline_note:
    "ℹ️ Answered by the built-in analyzer (AI is unavailable or your AI limit is reached).",
  analysis_fallback_question: "What would you check first before acting on news like this?",
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
  feedback_exhausted_short: "You have seen every explanation of this one. Try /ask or /learn.",
  local_users_full:
    "There are already {max} local test users, the most this bot keeps. Continue as an existing one, or erase old ones with /forget.",
  stale_button: "This button is no longer active.",
  // === Bookmarks, history, export
  bookmark_added: "📌 Saved to /bookmarks",
  bookmark_removed: "Removed from bookmarks",
  bookmarks_full: "📌 Your bookmarks are full ({max}). Tap 📌 on a saved card to remove one first.",
  bookmarks_empty: "No bookmarks yet. Tap 📌 under an analysis to save it.",
  bookmarks_title: "📌 <b>Your bookmarks</b>",
  history_empty: "No analyses yet. Paste a news text to get your first one.",
  history_title: "🕘 <b>Your last analyses</b>",
  export_empty: "Nothing to export yet.",
  export_caption: "Your RVX history ({count|# analysis|# analyses}).",
  // === Glossary
  command_glossary: "Crypto terms explained",
  glossary_list:
    "📖 <b>Glossary</b>: {count|# term|# terms}, page {page} of {pages}.\nPick a term, or send /glossary and a word, e.g. /glossary staking",
  glossary_aliases: "<i>Also called: {aliases}</i>",
  glossary_next: "Next: {term} ➡️",
  glossary_lesson: "📚 Lesson: {title}",
  glossary_all: "📖 All terms",
  glossary_closest: "No term “{query}” in the glossary. Did you mean:",
  glossary_none: "No term “{query}” in the glossary. See the list: /glossary",
  // === Export sections
  export_bookmarks: "📌 Bookmarks",
  export_learning:
    "📚 Learning: {opened|# lesson|# lessons} opened, passed: {passed}; {quizzes|# quiz|# quizzes} finished; {xp} XP from quizzes",
  export_header: "RVX Bot: your history, exported {date} UTC",
  // === Stats and limits
  stats_text:
    "📊 <b>Your stats</b>\nAnalyses: {analyses} · Questions: {questions} · Feedback: {feedback}\nLevel {level} · {xp} XP\n\n🌍 <b>Everyone</b>\nUsers: {users} · Analyses: {total_analyses}",
  limits_text:
    "⏳ <b>Your limits</b>\nAnalyses today: {used} of {limit} used, {left} left{reset}\nAI answers: {ai_left} of {ai_limit} left in the current {ai_window}-second window\nPause between analyses: {cooldown} s",
  limits_reset: " (next frees up {when})",
  limits_unlimited: "unlimited",
  time_today: "at {time} UTC",
  time_tomorrow: "tomorrow at {time} UTC",
  time_on_date: "on {date} at {time} UTC",
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
  api_starting: "The bot is starting; retry in a moment",
  api_key_not_admin: "An API key cannot use admin routes",
  api_admin_not_key:
    "This route takes an API key, not the admin token (create one: POST /api/v1/keys)",
  api_key_quota:
    "This API key used its {limit|# analysis|# analyses} for the last 24 h. Try again in {seconds} s.",
  api_user_not_found: "No user with id {id}",
  api_key_not_found: "No API key with id {id}",
  api_analysis_offline: "AI providers did not answer; this analysis was made offline",
  api_dead_letter_not_found:
    "No dead letter with id {id} (never was one, erased, or older than DEAD_LETTER_RETENTION_DAYS)",
  api_dead_letter_discarded: "Dead letter {id} was discarded at {at}",
  api_dead_letter_retried: "Dead letter {id} was already retried at {at}",
  api_dead_letter_queued:
    "The update of dead letter {id} is already queued for its user; the letter is left as it was",
  api_dead_letter_unreadable:
    "Dead letter {id} does not hold a whole update (kept before updates were stored whole) and cannot be retried; discard it",
  api_internal: "Internal error",
  api_rate_limited: "Too many requests from this address. Try again in {seconds} s.",
  // === Admin pages (sign-in)
  page_sign_in:
    "Sign in with the admin token (ADMIN_API_TOKEN, or the generated one: deno task apikey admin-token).",
  page_sign_in_wrong: "Wrong token.",
  page_sign_in_limited: "Too many failed sign-ins from this address. Try again in {seconds} s.",
  // === Learning
  learn_courses:
    "📚 <b>Courses</b>\n\nThree courses of five short lessons. Each lesson ends with a quiz: pass it to earn XP and level up.",
  learn_course: "📘 <b>{title}</b>\n{summary}\n\nLessons passed: {passed} of {total}",
  learn_lesson_header: "📖 <b>{title}</b>\n<i>{course} · lesson {number} of {total}</i>",
  learn_continue: "▶️ Continue: {title}",
  learn_all_courses: "📚 All courses",
  learn_to_course: "📘 Course",
  learn_previous: "⬅️ Previous",
  learn_next: "Next ➡️",
  learn_take_quiz: "📝 Take the quiz",
  learn_course_done: "🎓 Course completed: {title}!",
  learn_level_up: "⬆️ Level {level}! Keep going.",
  learn_badge_earned: "🏅 New badge: {badge}",
  quiz_question:
    "📝 <b>Quiz: {lesson}</b>\nQuestion {number} of {total}\n\n{question}\n\n{options}",
  quiz_right: "✅ Right!",
  quiz_wrong: "❌ Not quite.",
  quiz_stale: "That question is already answered, or the quiz has moved on.",
  quiz_in_progress:
    "This quiz is already under way: answer the question above, or send /quiz to see it again.",
  quiz_no_lesson: "You have no current lesson yet. Open one with /learn.",
  quiz_result: "📝 <b>Result: {lesson}</b>\n{correct} of {total} right ({percent}%)",
  quiz_passed: "✅ Passed.",
  quiz_failed:
    "Not passed yet: you need {percent}% right. Read the lesson again and retake the quiz.",
  quiz_xp: "🎉 +{xp} XP (now {total} XP)",
  quiz_no_xp: "No new XP: a lesson pays XP once, for its first pass (and a first perfect score).",
  quiz_your_answer: "Your answer",
  quiz_right_answer: "Right answer",
  quiz_retake: "🔁 Retake",
  quiz_next_lesson: "Next lesson ➡️",
  badge_first_lesson: "📖 First lesson",
  badge_first_quiz: "📝 First quiz",
  badge_perfect_score: "💯 Perfect score",
  badge_course_completed: "🎓 Course completed",
  badge_all_courses_completed: "🏆 All courses completed",
  badge_streak_7: "🔥 7-day streak",
  profile_text:
    "🏅 <b>{name}</b>\nLevel {level} · {xp} XP\nTo level {next}: {progress} of {needed} XP {bar}\nLearning streak: {streak|# day|# days} (best {best})\n\n<b>Badges</b>\n{badges}\n\n<b>Courses</b>\n{courses}",
  profile_no_badges: "None yet: open a lesson to earn the first one.",
  profile_course_line: "{title}: {passed} of {total|# lesson|# lessons}",
  leaderboard_title_week: "🏆 <b>Top learners this week</b>",
  leaderboard_title_month: "🏆 <b>Top learners this month</b>",
  leaderboard_title_all: "🏆 <b>Top learners of all time</b>",
  leaderboard_empty: "Nobody has earned XP in this period yet. Pass a quiz to be the first!",
  leaderboard_you: "You: {xp} XP in this period",
  leaderboard_you_rank: "You: #{rank} with {xp} XP",
  leaderboard_local: "Local users are not ranked.",
  leaderboard_week: "Week",
  leaderboard_month: "Month",
  leaderboard_all: "All time",
  // === Admin
  admin_denied: "Sorry, this command is for the bot's administrators only.",
  banned_notice:
    "Sorry, your access to this bot has been restricted. If you think this is a mistake, please contact the administrators.",
  admin_stats:
    "🛠 Bot status\n\n👥 Users: {users} · active 7 d: {active} · banned: {banned}\n📰 Analyses: {analyses} · questions: {questions}\n⚠️ Errors: {errors} · critical: {critical}\n🗄 Cache hit rate: {hit_rate}\n💬 Feedback: 👍 {up} · 👎 {down}\n📮 Dead letters: {dead_letters}",
  admin_none: "no data yet",
  admin_usage_ban: "Usage: /ban <user id> [reason]",
  admin_usage_unban: "Usage: /unban <user id>",
  admin_usage_tier: "Usage: /tier <user id> <free|pro>",
  admin_usage_broadcast: "Usage: /broadcast <text to send to every user>",
  admin_user_not_found: "No user with id {id} has used the bot.",
  admin_ban_admin: "User {id} is an administrator and cannot be banned.",
  admin_banned: "🚫 User {id} is banned. Reason: {reason}",
  admin_no_reason: "none given",
  admin_unbanned: "✅ User {id} is no longer banned.",
  admin_not_banned: "User {id} is not banned.",
  admin_tier_set: "✅ User {id} is now on the {tier} tier.",
  admin_cache_clearing: "🧹 Clearing the analysis cache… I'll tell you when it's done.",
  admin_backup_started: "💾 Taking a backup… I'll tell you when it's written.",
  admin_backup_done: "✅ Backup written: {name} ({records|# record|# records}).",
  admin_cache_cleared:
    "✅ Analysis cache cleared: {count|# stored entry|# stored entries} removed.",
  admin_broadcast_confirm: "📣 Send this message to every active user?\n\n{text}",
  admin_broadcast_yes: "📣 Send",
  admin_broadcast_no: "Cancel",
  admin_broadcast_too_long:
    "The message is too long ({length|# character|# characters}); Telegram allows {limit}.",
  admin_broadcast_started: "📣 Broadcast started. I'll report when it's done.",
  admin_broadcast_cancelled: "Broadcast cancelled: nothing was sent.",
  admin_broadcast_done:
    "📣 Broadcast finished: {sent} sent, {failed} failed, {blocked} had blocked the bot.",
  admin_job_failed: "⚠️ The {job} job failed: {error}",
} as const;

/** Every message key. */
export type MessageKey = keyof typeof en;
