/** @netc/pop3/testing: an in-process fake server for tests. */
export {}
