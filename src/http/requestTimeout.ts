/**
 * The `code` of the `RestError` a request gets when its whole exchange, headers and body, outlasts its
 * timeout (`requestOptions.timeout`, or the client's `requestTimeoutInMs`). It is retried like a
 * connection failure.
 * @internal
 */
export const requestTimeoutCode = "REQUEST_TIMEOUT";
