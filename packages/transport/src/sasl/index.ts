export { chooseSaslMechanism, type ChooseSaslMechanismOptions } from './choose-sasl-mechanism.ts'
export { CramMd5Mechanism } from './cram-md5-mechanism.ts'
export { createSaslMechanism, isSaslMechanismName } from './create-sasl-mechanism.ts'
export { LoginMechanism } from './login-mechanism.ts'
export { OauthbearerMechanism } from './oauthbearer-mechanism.ts'
export { PlainMechanism } from './plain-mechanism.ts'
export { runSasl, type RunSaslOptions, type SaslExchange, type SaslStep } from './run-sasl.ts'
export { decodeBase64Strict, decodeSaslChallenge, encodeSaslInitialResponse, encodeSaslResponse } from './sasl-base64.ts'
export {
  saslMechanismNames,
  type SaslCredentials,
  type SaslMechanism,
  type SaslMechanismName,
  type SaslMechanismOptions,
} from './sasl-mechanism.ts'
export { saslPrep } from './saslprep.ts'
export { ScramMechanism, type ScramMechanismName } from './scram-mechanism.ts'
export { Xoauth2Mechanism } from './xoauth2-mechanism.ts'
