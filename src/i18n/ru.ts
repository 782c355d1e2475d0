/**
 * Russian texts: the same keys and parameters as `en.ts` (the type checker and a test hold them
 * in step).
 *
 * @module
 */
import { type Messages } from "./mod.ts";

export const ru: Messages = {
  // === Errors
  error_generic: "Что-то пошло не так на нашей стороне. Попробуйте ещё раз чуть позже.",
  error_unavailable: "Бот временно недоступен. Ваше сообщение сохранено, попробуйте чуть позже.",
  error_upstream: "Внешний сервис не ответил. Попробуйте ещё раз чуть позже.",
  error_validation: "Похоже, в запросе ошибка. Проверьте его и попробуйте снова.",
  error_rate_limited: "Слишком много запросов. Попробуйте чуть позже.",
  error_not_found: "Не найдено.",
  error_unauthorized: "Нужна авторизация.",
  error_forbidden: "Доступ запрещён.",
  error_method_not_allowed: "Этот метод здесь не поддерживается.",
  error_payload_too_large: "Слишком большой запрос (предел {limit} байт).",
  // === Start, help, menu, language
  start_welcome:
    "👋 Привет, {name}! Я RVX: объясняю криптоновости простыми словами, отвечаю на вопросы и учу основам.\n\nУровень {level} · {xp} XP · анализов на сегодня осталось: {left}\n\nВставьте текст новости, задайте вопрос или выберите пункт меню.",
  help_text:
    "<b>Как пользоваться RVX</b>\n\n• Вставьте текст криптоновости (от 10 символов): объясню, что произошло, почему это важно, какие активы затронуты и насколько это рискованно.\n• Задайте вопрос или /ask &lt;вопрос&gt;.\n• Под каждым ответом: 👍 полезно, 👎 объяснить иначе, 📌 сохранить.\n\n<b>Команды</b>\n/menu · /ask · /learn · /quiz · /profile · /leaderboard · /history · /bookmarks · /stats · /limits · /export · /language · /forget",
  menu_title: "Что будем делать?",
  menu_analyze: "📰 Разобрать новость",
  menu_learn: "📚 Учиться",
  menu_profile: "🏅 Профиль",
  menu_history: "🕘 История",
  menu_limits: "⏳ Лимиты",
  menu_help: "❓ Помощь",
  menu_analyze_hint: "Вставьте или перешлите текст криптоновости, и я её объясню.",
  language_choose: "Выберите язык:",
  language_set: "Язык: русский.",
  // === Analysis
  analysis_thinking: "🤔 Читаю новость…",
  analysis_too_short: "Пришлите хотя бы 10 символов: текст новости или вопрос.",
  analysis_too_long: "Слишком длинный текст ({length} символов). Пришлите не больше {limit}.",
  analysis_ask_usage: "Напишите вопрос после команды, например: /ask что такое стейкинг?",
  analysis_flood: "⏳ Минутку: следующий запрос можно отправить через {seconds} с.",
  analysis_quota:
    "📊 Все {limit} анализов на сегодня использованы. Следующий освободится в {reset} UTC. Уроки и квизы доступны: /learn",
  analysis_offline_note:
    "ℹ️ Ответил встроенный анализатор (ИИ недоступен или ваш лимит ИИ исчерпан).",
  analysis_failed: "Сейчас не получилось разобрать текст. Попробуйте через минуту.",
  card_summary: "📰 <b>Что произошло</b>",
  card_impact: "📌 <b>Почему это важно</b>",
  card_sentiment: "Настроение",
  card_risk: "Риск",
  card_horizon: "Горизонт",
  card_assets: "Активы",
  card_question: "🤔 <b>Подумайте</b>",
  card_answer: "💡 <b>Ответ</b>",
  card_key_points: "📌 <b>Главное</b>",
  sentiment_bullish: "📈 бычье",
  sentiment_bearish: "📉 медвежье",
  sentiment_neutral: "➖ нейтральное",
  risk_low: "🟢 низкий",
  risk_medium: "🟡 средний",
  risk_high: "🔴 высокий",
  horizon_day: "день",
  horizon_week: "неделя",
  horizon_month: "месяц",
  button_helpful: "👍",
  button_not_helpful: "👎",
  button_bookmark: "📌",
  button_lesson: "📚 Урок",
  // === Feedback
  feedback_thanks: "Спасибо! Рад, что помог.",
  feedback_already: "Вы уже оценили этот ответ. Спасибо!",
  feedback_style_simple: "🔁 Проще:",
  feedback_style_examples: "🔁 На примерах:",
  feedback_style_steps: "🔁 По шагам:",
  feedback_style_analogy: "🔁 Через аналогию:",
  feedback_style_questions: "🔁 Разберёмся через вопросы:",
  feedback_style_another: "🔁 Ещё один взгляд, через вопросы:",
  feedback_exhausted:
    "Я испробовал все способы объяснить эту новость. Задайте точный вопрос через /ask или изучите основы в /learn.",
  stale_button: "Эта кнопка больше не активна.",
  // === Bookmarks, history, export
  bookmark_added: "📌 Сохранено в /bookmarks",
  bookmark_removed: "Удалено из закладок",
  bookmarks_empty: "Закладок пока нет. Нажмите 📌 под разбором, чтобы сохранить его.",
  bookmarks_title: "📌 <b>Ваши закладки</b>",
  history_empty: "Разборов пока нет. Вставьте текст новости, чтобы получить первый.",
  history_title: "🕘 <b>Ваши последние разборы</b>",
  export_empty: "Пока нечего выгружать.",
  export_caption: "Ваша история RVX ({count} разборов).",
  export_header: "RVX Bot: ваша история, выгружено {date} UTC",
  // === Stats and limits
  stats_text:
    "📊 <b>Ваша статистика</b>\nРазборы: {analyses} · Вопросы: {questions} · Оценки: {feedback}\nУровень {level} · {xp} XP\n\n🌍 <b>Все пользователи</b>\nПользователи: {users} · Разборы: {total_analyses}",
  limits_text:
    "⏳ <b>Ваши лимиты</b>\nАнализы сегодня: использовано {used} из {limit}, осталось {left}{reset}\nОтветы ИИ: осталось {ai_left} из {ai_limit} в текущем окне {ai_window} с\nПауза между анализами: {cooldown} с",
  limits_reset: " (следующий освободится в {time} UTC)",
  limits_unlimited: "без ограничений",
  // === Forget
  forget_confirm:
    "⚠️ Будут удалены ваш профиль, XP, история, оценки, закладки и прогресс. Это нельзя отменить. Продолжить?",
  forget_yes: "Да, удалить",
  forget_no: "Нет, оставить",
  forget_started: "Удаляю ваши данные… Сообщу, когда закончу.",
  forget_cancelled: "Ничего не удалено.",
  forget_done: "✅ Ваши данные удалены. Отправьте /start, чтобы начать заново.",
  job_done: "✅ Готово.",
  // === Unhandled
  unknown_command: "Я не знаю такой команды. Смотрите /help.",
  unsupported_message: "Я понимаю текстовые сообщения: вставьте текст новости или задайте вопрос.",
  // === Commands (setMyCommands)
  command_start: "Старт и главное меню",
  command_help: "Как пользоваться ботом",
  command_menu: "Главное меню",
  command_ask: "Задать вопрос",
  command_learn: "Курсы и уроки",
  command_quiz: "Квиз текущего урока",
  command_profile: "Ваш XP, уровень и значки",
  command_leaderboard: "Лучшие ученики",
  command_history: "Последние разборы",
  command_bookmarks: "Сохранённые разборы",
  command_stats: "Ваша и общая статистика",
  command_limits: "Ваши лимиты",
  command_export: "Выгрузить историю",
  command_language: "Сменить язык",
  command_forget: "Удалить мои данные",
  // === HTTP API
  api_invalid_field: "Неверное поле {field}: {reason}",
  api_invalid_body: "Тело запроса должно быть JSON-объектом в UTF-8 с типом application/json",
  api_admin_required: "Нужен токен администратора: Authorization: Bearer <ADMIN_API_TOKEN>",
  api_key_required: "Нужен действующий API-ключ: Authorization: Bearer <ключ>",
  api_admin_disabled: "API администратора здесь выключен: задайте ADMIN_API_TOKEN",
  api_key_not_admin: "API-ключ не даёт доступа к маршрутам администратора",
  api_admin_not_key:
    "Этот маршрут принимает API-ключ, а не токен администратора (создать ключ: POST /api/v1/keys)",
  api_key_quota:
    "Этот API-ключ исчерпал {limit} анализов за последние 24 ч. Повторите через {seconds} с.",
  api_user_not_found: "Нет пользователя с id {id}",
  api_key_not_found: "Нет API-ключа с id {id}",
  api_analysis_offline: "AI-провайдеры не ответили; анализ сделан офлайн",
  api_internal: "Внутренняя ошибка",
  api_rate_limited: "Слишком много запросов с этого адреса. Повторите через {seconds} с.",
};
