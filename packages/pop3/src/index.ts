/** @netc/pop3: see README.md. */
export {}
