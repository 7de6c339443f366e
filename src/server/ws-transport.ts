/**
 * The contract over WebSocket: each text frame is a CallRequest, answered by a response frame;
 * host events are pushed to every client. Malformed frames get an error reply, never a crash.
 */
import { WebSocketServer, type WebSocket } from 'ws'
import type { ServerFrame } from '../shared/contract'
import { dispatch, type Handlers } from '../service/dispatch'
import type { EventHub } from '../service/event-hub'

export const MAX_FRAME_BYTES = 1 << 20

export function createWsTransport(handlers: Handlers, events: EventHub): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  wss.on('connection', (socket: WebSocket) => {
    const send = (frame: ServerFrame) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
    }
    const unsubscribe = events.subscribe((event) => send({ kind: 'event', event }))
    socket.on('close', unsubscribe)
    socket.on('error', () => socket.terminate())
    socket.on('message', async (data, isBinary) => {
      let raw: unknown
      try {
        if (isBinary) throw new Error('binary frames are not part of the contract')
        raw = JSON.parse(data.toString())
      } catch (error) {
        const message = `message: not a JSON text frame (${error instanceof Error ? error.message : 'unreadable'})`
        send({ kind: 'response', response: { id: -1, ok: false, error: { code: 'invalid_message', message, field: 'message' } } })
        return
      }
      send({ kind: 'response', response: await dispatch(handlers, raw) })
    })
  })
  return wss
}
