package io.djlgather.samples.http;

/**
 * A request the server refuses: an HTTP status, a machine-readable kind (counted in {@code
 * /metrics}) and a message that says what was wrong, sent as {@code {"error": kind, "message":
 * message, "status": status}}.
 */
public final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String kind;

    /**
     * Creates the error.
     *
     * @param status the HTTP status, 4xx or 5xx
     * @param kind the kind, e.g. {@code malformed_json}
     * @param message what was wrong, with the values involved
     */
    public HttpError(int status, String kind, String message) {
        super(message, null, false, false);
        this.status = status;
        this.kind = kind;
    }

    /** Returns the HTTP status. */
    public int status() {
        return status;
    }

    /** Returns the kind. */
    public String kind() {
        return kind;
    }
}
