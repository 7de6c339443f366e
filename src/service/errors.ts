import type { ErrorCode } from '../shared/contract'

/** An error whose code and message are meant for the user, carried over the contract as-is. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'ServiceError'
  }
}
