export { openDataConnection, type DataOnRead, type OpenDataConnectionOptions } from './open-data-connection.ts'
export { listenForDataConnection, type DataListener, type ListenForDataConnectionOptions } from './listen-for-data-connection.ts'
export { secureDataSocket, type DataTlsOptions } from './data-tls.ts'
export { connectDataSocket, type ConnectDataSocketOptions } from './connect-data-socket.ts'
