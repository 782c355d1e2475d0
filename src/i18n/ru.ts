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
  error_payload_too_large: "Слишком большой запрос (предел {limit|# байт|# байта|# байт}).",
  // === Start, help, menu, language
  start_welcome:
    "👋 Привет, {name}! Я RVX: объясняю криптоновости простыми словами, отвечаю на вопросы и учу основам.\n\nУровень {level} · {xp} XP · анализов на сегодня осталось: {left}\n\nВставьте текст новости, задайте вопрос или выберите пункт меню.",
  help_text:
    "<b>Как пользоваться RVX</b>\n\n• Вставьте текст криптоновости (от 10 символов): объясню, что произошло, почему это важно, какие активы затронуты и насколько это рискованно.\n• Задайте вопрос или /ask &lt;вопрос&gt;.\n• Под каждым ответом: 👍 полезно, 👎 объяснить иначе, 📌 сохранить.\n\n<b>Команды</b>\n{commands}",
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
  analysis_thinking_question: "🤔 Думаю над вашим вопросом…",
  analysis_too_short: "Пришлите хотя бы 10 символов: текст новости или вопрос.",
  analysis_too_long:
    "Слишком длинный текст ({length|# символ|# символа|# символов}). Пришлите не больше {limit}.",
  analysis_ask_usage: "Напишите вопрос после команды, например: /ask что такое стейкинг?",
  analysis_flood: "⏳ Минутку: следующий запрос можно отправить через {seconds} с.",
  analysis_quota:
    "📊 Лимит на сегодня исчерпан: {limit|# анализ|# анализа|# анализов}. Следующий освободится {when}. Уроки и квизы доступны: /learn",
  analysis_offline_note:
    "ℹ️ Ответил встроенный анализатор (ИИ недоступен или ваш лимит ИИ исчерпан).",
  analysis_fallback_question:
    "Что бы вы проверили в первую очередь, прежде чем действовать на такой новости?",
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
  feedback_exhausted_short: "Все объяснения этой новости уже показаны. Попробуйте /ask или /learn.",
  local_users_full:
    "Локальных тестовых пользователей уже {max}, больше бот не хранит. Продолжите от имени существующего или удалите старых через /forget.",
  stale_button: "Эта кнопка больше не активна.",
  // === Bookmarks, history, export
  bookmark_added: "📌 Сохранено в /bookmarks",
  bookmark_removed: "Удалено из закладок",
  bookmarks_full:
    "📌 Закладок уже максимум ({max}). Сначала уберите одну: нажмите 📌 на сохранённой карточке.",
  bookmarks_empty: "Закладок пока нет. Нажмите 📌 под разбором, чтобы сохранить его.",
  bookmarks_title: "📌 <b>Ваши закладки</b>",
  history_empty: "Разборов пока нет. Вставьте текст новости, чтобы получить первый.",
  history_title: "🕘 <b>Ваши последние разборы</b>",
  export_empty: "Пока нечего выгружать.",
  export_caption: "Ваша история RVX ({count|# разбор|# разбора|# разборов}).",
  // === Glossary
  command_glossary: "Словарь криптотерминов",
  glossary_list:
    "📖 <b>Словарь</b>: {count|# термин|# термина|# терминов}, страница {page} из {pages}.\nВыберите термин или отправьте /glossary и слово, например /glossary стейкинг",
  glossary_aliases: "<i>Ещё говорят: {aliases}</i>",
  glossary_next: "Дальше: {term} ➡️",
  glossary_lesson: "📚 Урок: {title}",
  glossary_all: "📖 Все термины",
  glossary_closest: "Термина «{query}» в словаре нет. Возможно, вы имели в виду:",
  glossary_none: "Термина «{query}» в словаре нет. Список: /glossary",
  // === Export sections
  export_bookmarks: "📌 Закладки",
  export_learning:
    "📚 Обучение: {opened|открыт # урок|открыто # урока|открыто # уроков}, пройдены: {passed}; {quizzes|# тест завершён|# теста завершено|# тестов завершено}; {xp} XP за тесты",
  export_header: "RVX Bot: ваша история, выгружено {date} UTC",
  // === Stats and limits
  stats_text:
    "📊 <b>Ваша статистика</b>\nРазборы: {analyses} · Вопросы: {questions} · Оценки: {feedback}\nУровень {level} · {xp} XP\n\n🌍 <b>Все пользователи</b>\nПользователи: {users} · Разборы: {total_analyses}",
  limits_text:
    "⏳ <b>Ваши лимиты</b>\nАнализы сегодня: использовано {used} из {limit}, осталось {left}{reset}\nОтветы ИИ: осталось {ai_left} из {ai_limit} в текущем окне {ai_window} с\nПауза между анализами: {cooldown} с",
  limits_reset: " (следующий освободится {when})",
  limits_unlimited: "без ограничений",
  time_today: "в {time} UTC",
  time_tomorrow: "завтра в {time} UTC",
  time_on_date: "{date} в {time} UTC",
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
  api_starting: "Бот запускается; повторите через мгновение",
  api_key_not_admin: "API-ключ не даёт доступа к маршрутам администратора",
  api_admin_not_key:
    "Этот маршрут принимает API-ключ, а не токен администратора (создать ключ: POST /api/v1/keys)",
  api_key_quota:
    "Этот API-ключ исчерпал {limit|# анализ|# анализа|# анализов} за последние 24 ч. Повторите через {seconds} с.",
  api_user_not_found: "Нет пользователя с id {id}",
  api_key_not_found: "Нет API-ключа с id {id}",
  api_analysis_offline: "AI-провайдеры не ответили; анализ сделан офлайн",
  api_dead_letter_not_found:
    "Нет недоставленного обновления с id {id} (не было, удалено или старше DEAD_LETTER_RETENTION_DAYS)",
  api_dead_letter_discarded: "Недоставленное обновление {id} отброшено в {at}",
  api_dead_letter_retried: "Недоставленное обновление {id} уже повторено в {at}",
  api_dead_letter_queued:
    "Обновление из {id} уже стоит в очереди пользователя; запись оставлена как есть",
  api_dead_letter_unreadable:
    "Недоставленное обновление {id} хранит обновление не целиком (сохранено до того, как обновления стали храниться полностью) и не может быть повторено; отбросьте его",
  api_internal: "Внутренняя ошибка",
  api_rate_limited: "Слишком много запросов с этого адреса. Повторите через {seconds} с.",
  // === Admin pages (sign-in)
  page_sign_in:
    "Войдите с токеном администратора (ADMIN_API_TOKEN или сгенерированный: deno task apikey admin-token).",
  page_sign_in_wrong: "Неверный токен.",
  page_sign_in_limited:
    "Слишком много неудачных входов с этого адреса. Повторите через {seconds} с.",
  // === Learning
  learn_courses:
    "📚 <b>Курсы</b>\n\nТри курса по пять коротких уроков. Каждый урок заканчивается квизом: пройдите его, чтобы получить XP и поднять уровень.",
  learn_course: "📘 <b>{title}</b>\n{summary}\n\nПройдено уроков: {passed} из {total}",
  learn_lesson_header: "📖 <b>{title}</b>\n<i>{course} · урок {number} из {total}</i>",
  learn_continue: "▶️ Продолжить: {title}",
  learn_all_courses: "📚 Все курсы",
  learn_to_course: "📘 К курсу",
  learn_previous: "⬅️ Назад",
  learn_next: "Дальше ➡️",
  learn_take_quiz: "📝 Пройти квиз",
  learn_course_done: "🎓 Курс пройден: {title}!",
  learn_level_up: "⬆️ Уровень {level}! Так держать.",
  learn_badge_earned: "🏅 Новый значок: {badge}",
  quiz_question: "📝 <b>Квиз: {lesson}</b>\nВопрос {number} из {total}\n\n{question}\n\n{options}",
  quiz_right: "✅ Верно!",
  quiz_wrong: "❌ Не совсем.",
  quiz_stale: "На этот вопрос уже есть ответ, или квиз ушёл дальше.",
  quiz_in_progress:
    "Этот квиз уже идёт: ответьте на вопрос выше или отправьте /quiz, чтобы увидеть его снова.",
  quiz_no_lesson: "У вас пока нет текущего урока. Откройте урок через /learn.",
  quiz_result: "📝 <b>Результат: {lesson}</b>\nВерно {correct} из {total} ({percent}%)",
  quiz_passed: "✅ Пройдено.",
  quiz_failed:
    "Пока не пройдено: нужно {percent}% верных ответов. Перечитайте урок и пройдите квиз снова.",
  quiz_xp: "🎉 +{xp} XP (всего {total} XP)",
  quiz_no_xp:
    "Новых XP нет: урок даёт XP один раз, за первое прохождение (и за первый результат без ошибок).",
  quiz_your_answer: "Ваш ответ",
  quiz_right_answer: "Верный ответ",
  quiz_retake: "🔁 Пройти снова",
  quiz_next_lesson: "Следующий урок ➡️",
  badge_first_lesson: "📖 Первый урок",
  badge_first_quiz: "📝 Первый квиз",
  badge_perfect_score: "💯 Без ошибок",
  badge_course_completed: "🎓 Курс пройден",
  badge_all_courses_completed: "🏆 Все курсы пройдены",
  badge_streak_7: "🔥 7 дней подряд",
  profile_text:
    "🏅 <b>{name}</b>\nУровень {level} · {xp} XP\nДо уровня {next}: {progress} из {needed} XP {bar}\nСерия занятий: {streak|# день|# дня|# дней} (лучшая: {best})\n\n<b>Значки</b>\n{badges}\n\n<b>Курсы</b>\n{courses}",
  profile_no_badges: "Пока нет: откройте урок, чтобы получить первый.",
  profile_course_line: "{title}: {passed} из {total|# урока|# уроков|# уроков}",
  leaderboard_title_week: "🏆 <b>Лучшие ученики недели</b>",
  leaderboard_title_month: "🏆 <b>Лучшие ученики месяца</b>",
  leaderboard_title_all: "🏆 <b>Лучшие ученики за всё время</b>",
  leaderboard_empty: "В этом периоде ещё никто не заработал XP. Пройдите квиз и станьте первым!",
  leaderboard_you: "Вы: {xp} XP за этот период",
  leaderboard_you_rank: "Вы: #{rank}, {xp} XP",
  leaderboard_local: "Локальные пользователи не участвуют в рейтинге.",
  leaderboard_week: "Неделя",
  leaderboard_month: "Месяц",
  leaderboard_all: "Всё время",
  // === Admin
  admin_denied: "Извините, эта команда доступна только администраторам бота.",
  banned_notice:
    "Извините, ваш доступ к боту ограничен. Если вы считаете это ошибкой, свяжитесь с администраторами.",
  admin_stats:
    "🛠 Состояние бота\n\n👥 Пользователи: {users} · активны за 7 дн.: {active} · в бане: {banned}\n📰 Разборы: {analyses} · вопросы: {questions}\n⚠️ Ошибки: {errors} · критические: {critical}\n🗄 Попадания в кэш: {hit_rate}\n💬 Отзывы: 👍 {up} · 👎 {down}\n📮 Недоставленные обновления: {dead_letters}",
  admin_none: "пока нет данных",
  admin_usage_ban: "Использование: /ban <id пользователя> [причина]",
  admin_usage_unban: "Использование: /unban <id пользователя>",
  admin_usage_tier: "Использование: /tier <id пользователя> <free|pro>",
  admin_usage_broadcast: "Использование: /broadcast <текст для всех пользователей>",
  admin_user_not_found: "Пользователь с id {id} ещё не пользовался ботом.",
  admin_ban_admin: "Пользователь {id} — администратор, его нельзя забанить.",
  admin_banned: "🚫 Пользователь {id} забанен. Причина: {reason}",
  admin_no_reason: "не указана",
  admin_unbanned: "✅ Пользователь {id} разбанен.",
  admin_not_banned: "Пользователь {id} не забанен.",
  admin_tier_set: "✅ Тариф пользователя {id} теперь {tier}.",
  admin_cache_clearing: "🧹 Очищаю кэш разборов… Сообщу, когда закончу.",
  admin_backup_started: "💾 Делаю резервную копию… Сообщу, когда она будет записана.",
  admin_backup_done: "✅ Резервная копия записана: {name} ({records|# запись|# записи|# записей}).",
  admin_cache_cleared: "✅ Кэш разборов очищен, удалено сохранённых записей: {count}.",
  admin_broadcast_confirm: "📣 Отправить это сообщение всем активным пользователям?\n\n{text}",
  admin_broadcast_yes: "📣 Отправить",
  admin_broadcast_no: "Отмена",
  admin_broadcast_too_long:
    "Сообщение слишком длинное ({length|# символ|# символа|# символов}); Telegram допускает {limit}.",
  admin_broadcast_started: "📣 Рассылка началась. Сообщу, когда она закончится.",
  admin_broadcast_cancelled: "Рассылка отменена, ничего не отправлено.",
  admin_broadcast_done:
    "📣 Рассылка завершена: отправлено {sent}, не доставлено {failed}, заблокировали бота {blocked}.",
  admin_job_failed: "⚠️ Задача {job} не выполнена: {error}",
};
