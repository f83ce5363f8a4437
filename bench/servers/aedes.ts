/** Target (b): Aedes, the Node MQTT broker, in-memory persistence, plain TCP. */
import net from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker();
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  broker.handle(socket);
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr === 'object') process.stdout.write(`aedes listening on ${addr.port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
