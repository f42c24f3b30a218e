/** @netc/smtp: see README.md. */
export {}
