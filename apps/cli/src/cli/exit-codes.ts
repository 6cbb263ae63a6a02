/** Exit codes, as kubectl uses them. */
export const EXIT_OK = 0;
/** The command ran and found a problem (invalid input, a failed request). */
export const EXIT_FAILURE = 1;
/** The command line itself was wrong (unknown command or flag, missing argument). */
export const EXIT_USAGE = 2;
