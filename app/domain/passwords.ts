/** The shortest password we accept. Shared by the pages' hints (in the browser) and the checks on the server. */
export const MIN_PASSWORD_LENGTH = 10;
