package org.psametering.headend.http;

/** Everything after the admin endpoint is read-only: any method but GET is refused with 405. */
final class ReadOnlyGuard extends Endpoint {
    @Override
    boolean serve(Exchange exchange) {
        if (exchange.method().equals("GET")) {
            return false;
        }
        exchange.sendError(405, "only GET is supported");
        return true;
    }
}
