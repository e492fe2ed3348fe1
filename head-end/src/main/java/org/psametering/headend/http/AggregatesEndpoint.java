package org.psametering.headend.http;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.psametering.headend.GroupStatus;
import org.psametering.headend.core.StepResult;
import org.psametering.protocol.LogSafe;

/**
 * {@code GET /groups/{id}/aggregates?from=&to=&days=&format=json|csv}: the recorded results whose step starts in
 * [from, to). {@code to} defaults to now (the head-end's clock), {@code from} to {@code days} (default 1) before it.
 */
final class AggregatesEndpoint extends Endpoint {
    /** Longest span {@code days} may ask for; {@code from} and {@code to} may span more. */
    static final int MAX_DAYS = 366;
    private final ApiSources sources;

    AggregatesEndpoint(ApiSources sources) {
        this.sources = sources;
    }

    @Override
    boolean serve(Exchange exchange) throws IOException {
        String[] parts = exchange.parts();
        if (parts.length != 4 || !parts[1].equals("groups") || !parts[3].equals("aggregates")) {
            return false;
        }
        GroupStatus group = sources.group(parts[2]);
        QueryParams query = exchange.query();
        Instant to = query.instant("to").orElse(sources.clock().instant());
        Instant from = query.instant("from").orElse(to.minus(Duration.ofDays(days(query))));
        if (!from.isBefore(to)) {
            throw new ApiException(400, "parameter 'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        String format = query.get("format", "json");
        if (!format.equals("json") && !format.equals("csv")) {
            throw new ApiException(400, "parameter 'format' must be json or csv, got '" + LogSafe.text(format) + "'");
        }
        List<StepResult> rows = sources.results().between(group.group(), from, to);
        if (format.equals("csv")) {
            exchange.send(200, "text/csv; charset=utf-8", Exchange.utf8(csv(rows)));
        } else {
            exchange.sendJson(json(rows));
        }
        return true;
    }

    private static long days(QueryParams query) {
        String value = query.get("days", "1");
        try {
            int days = Integer.parseInt(value);
            if (days >= 1 && days <= MAX_DAYS) {
                return days;
            }
        } catch (NumberFormatException e) {
            // refused below with the parameter's name
        }
        throw new ApiException(400, "parameter 'days' must be a whole number 1.." + MAX_DAYS + ", got '" + LogSafe.text(value) + "'");
    }

    static ArrayNode json(List<StepResult> rows) {
        ArrayNode list = Exchange.JSON.createArrayNode();
        for (StepResult r : rows) {
            ObjectNode node = list.addObject().put("group", r.group()).put("epoch", r.epoch()).put("label", r.label())
                    .put("stepStart", r.stepStart().toString()).put("stepSeconds", r.stepSeconds()).put("status", r.status().name());
            if (r.sum().isPresent()) {
                node.put("sum", r.sum().getAsLong());
            } else {
                node.putNull("sum");
            }
            node.put("reported", r.reported());
            node.put("missingCount", r.missing().size());
            Optional<String> reason = r.reason().map(Enum::name);
            if (reason.isPresent()) {
                node.put("reason", reason.get());
            } else {
                node.putNull("reason");
            }
            ArrayNode missing = node.putArray("missing");
            r.missing().forEach(missing::add);
            node.put("recordedAt", r.recordedAt().toString());
        }
        return list;
    }

    /** Ids contain no commas or quotes ([A-Za-z0-9._-]), so no field needs quoting; missing meters are ';'-separated. */
    static String csv(List<StepResult> rows) {
        StringBuilder out = new StringBuilder("group,epoch,label,step_start,step_seconds,status,sum,reported,missing,recorded_at\n");
        for (StepResult r : rows) {
            out.append(r.group()).append(',').append(r.epoch()).append(',').append(r.label()).append(',').append(r.stepStart()).append(',')
                    .append(r.stepSeconds()).append(',').append(r.status()).append(',')
                    .append(r.sum().isPresent() ? Long.toString(r.sum().getAsLong()) : "").append(',').append(r.reported()).append(',')
                    .append(String.join(";", r.missing())).append(',').append(r.recordedAt()).append('\n');
        }
        return out.toString();
    }
}
