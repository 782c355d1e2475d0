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
  error_validation: "Похоже, в запросе ошибка: {reason}",
  error_rate_limited: "Слишком много запросов. Попробуйте снова через {seconds} с.",
  error_not_found: "Не найдено.",
  error_unauthorized: "Нужна авторизация.",
  error_forbidden: "Доступ запрещён.",
  error_method_not_allowed: "Этот метод здесь не поддерживается.",
  error_payload_too_large: "Слишком большой запрос (предел {limit} байт).",
};
