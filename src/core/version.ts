/** The release of this code, shown by `/health` and the API docs. */
export const VERSION = "0.1.0";
