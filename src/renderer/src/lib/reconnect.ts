import type { ConnectionSource } from './ws-bridge'

/**
 * Calls back each time the connection opens again after having been open before: events sent
 * while it was down are lost, so whoever holds state must reload. The first open is not a reconnect.
 */
export function whenReconnected(source: ConnectionSource, callback: () => void): () => void {
  let openedBefore = source.state === 'open'
  let openNow = openedBefore
  return source.onStateChange(() => {
    const open = source.state === 'open'
    if (open && !openNow && openedBefore) callback()
    openedBefore ||= open
    openNow = open
  })
}
