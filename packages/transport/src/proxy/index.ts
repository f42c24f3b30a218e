export { createHttpConnectConnect, type HttpConnectOptions } from './create-http-connect-connect.ts'
export { createSocksConnect, type SocksConnectOptions } from './create-socks-connect.ts'
export { matchesNoProxy } from './matches-no-proxy.ts'
export { parseHttpConnectResponse, type HttpConnectResponse } from './parse-http-connect-response.ts'
export { proxyFromEnvironment, type ProxyEnvironment } from './proxy-from-environment.ts'
export { ProxyError } from './proxy-error.ts'
export { describeProxy, parseProxyUrl, type HttpProxySettings, type ProxySettings, type SocksProxySettings } from './proxy-settings.ts'
export {
  createProxyConnect,
  resolveConnector,
  type ProxyOption,
  type ResolveConnectorOptions,
  type ResolvedConnector,
} from './resolve-connector.ts'
