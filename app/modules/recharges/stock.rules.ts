/** Codes expiring within this many days are listed apart, to be issued first or claimed back from the operator. */
export const EXPIRING_SOON_DAYS = 30;
