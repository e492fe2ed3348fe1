package org.psametering.cli.demo;

import java.util.concurrent.CountDownLatch;

/**
 * How the demo serves the head-end's web page.
 *
 * @param httpPort    the head-end's HTTP port on 127.0.0.1 (0: any free one)
 * @param keepRunning after the checked steps, keep the whole system running (new steps keep coming) until {@code stop}
 * @param stop        counted down to end a run that keeps running (Ctrl-C does it through a shutdown hook)
 */
record DemoServing(int httpPort, boolean keepRunning, CountDownLatch stop) {
    DemoServing {
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("--http-port must be 0 (any free port) or 1..65535, got " + httpPort);
        }
    }

    static DemoServing once(int httpPort) {
        return new DemoServing(httpPort, false, new CountDownLatch(0));
    }
}
