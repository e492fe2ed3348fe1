package org.psametering.headend.http;

/** The last handler: a path no endpoint owns. */
final class NotFoundEndpoint extends Endpoint {
    @Override
    boolean serve(Exchange exchange) {
        throw notFound(exchange.path());
    }
}
