// The floor of the bench: a minimal WebSocket relay on `ws`, with no storage,
// no authentication and no validation beyond JSON. It routes by user id to
// every socket of that user and fans group messages out to every member's
// sockets. Run as its own process so that its RSS is measured alone:
//   node bench/relay/server.mjs   (prints `listening <port>` on 127.0.0.1)
//
// Frames, client -> relay (the relay forwards the text unchanged):
//   {"to": USER, "id": ID, "body": TEXT}          to every socket of USER
//   {"join": GROUP}                               joins GROUP
//   {"group": GROUP, "id": ID, "body": TEXT}      to every other member socket of GROUP
// The user id comes from the query string: ws://127.0.0.1:PORT/?user=USER

import { WebSocketServer } from 'ws';

const socketsByUser = new Map();
const membersByGroup = new Map();

// Node's default listen backlog is 511; storms and the online-users workload connect thousands at once.
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, backlog: 4096, perMessageDeflate: false });

server.on('connection', (socket, request) => {
  const user = new URL(request.url ?? '/', 'ws://relay').searchParams.get('user');
  if (!user) {
    socket.close(4000, 'missing ?user=');
    return;
  }
  addTo(socketsByUser, user, socket);
  const groups = new Set();

  socket.on('message', (data) => {
    const text = String(data);
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof frame.to === 'string') {
      for (const peer of socketsByUser.get(frame.to) ?? []) peer.send(text);
    } else if (typeof frame.join === 'string') {
      addTo(membersByGroup, frame.join, socket);
      groups.add(frame.join);
    } else if (typeof frame.group === 'string') {
      for (const member of membersByGroup.get(frame.group) ?? []) if (member !== socket) member.send(text);
    }
  });

  socket.on('close', () => {
    socketsByUser.get(user)?.delete(socket);
    for (const group of groups) membersByGroup.get(group)?.delete(socket);
  });
});

server.on('listening', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}

function addTo(map, key, socket) {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(socket);
}
