package org.psametering.headend.http;

import java.io.IOException;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.psametering.headend.GroupStatus;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.membership.MemberView;
import org.psametering.protocol.TimeSteps;

/**
 * {@code /groups}, {@code /groups/{id}}, {@code /groups/{id}/members}, {@code /groups/{id}/membership} and
 * {@code /groups/{id}/membership-log}: the groups' states and who is a member. Metadata the head-end has in any case
 * (who reported when, who was missing); never a reading.
 */
final class GroupEndpoints extends Endpoint {
    private final ApiSources sources;

    GroupEndpoints(ApiSources sources) {
        this.sources = sources;
    }

    @Override
    boolean serve(Exchange exchange) throws IOException {
        String[] parts = exchange.parts();
        if (parts.length < 2 || !parts[1].equals("groups") || parts.length > 4) {
            return false;
        }
        if (parts.length == 2) {
            ArrayNode list = Exchange.JSON.createArrayNode();
            sources.groups().get().forEach(g -> list.add(groupJson(g, false)));
            exchange.sendJson(list);
            return true;
        }
        if (parts.length == 4 && !parts[3].equals("members") && !parts[3].equals("membership") && !parts[3].equals("membership-log")) {
            return false;
        }
        GroupStatus group = sources.group(parts[2]);
        if (parts.length == 3) {
            exchange.sendJson(groupJson(group, true));
            return true;
        }
        switch (parts[3]) {
            case "members" -> {
                ArrayNode list = Exchange.JSON.createArrayNode();
                group.members().forEach(list::add);
                exchange.sendJson(list);
            }
            case "membership" -> exchange.sendJson(membershipJson(sources.membership(group.group()), group.stepSeconds()));
            default -> {
                ArrayNode list = Exchange.JSON.createArrayNode();
                sources.membership(group.group()).log().forEach(e -> list.addObject().put("seq", e.seq()).put("at", e.at().toString())
                        .put("meter", e.meter()).put("change", e.change().name()).put("epoch", e.epoch()).put("reason", e.reason()));
                exchange.sendJson(list);
            }
        }
        return true;
    }

    /**
     * Each configured member with its state. {@code lastReportedStepStart} turns the last reported label into the start
     * of that step at the group's current step length (a label counts steps of that length since 1970).
     */
    private static ObjectNode membershipJson(GroupMembership.Snapshot snapshot, int stepSeconds) {
        ObjectNode node = Exchange.JSON.createObjectNode().put("group", snapshot.group());
        snapshot.nextRekeyNotBefore().ifPresentOrElse(t -> node.put("nextRekeyNotBefore", t.toString()), () -> node.putNull("nextRekeyNotBefore"));
        ArrayNode members = node.putArray("members");
        for (MemberView m : snapshot.members()) {
            ObjectNode member = members.addObject().put("meter", m.meter()).put("state", m.state().name())
                    .put("consecutiveMisses", m.consecutiveMisses()).put("keptByFloor", m.keptByFloor());
            m.lastReportedLabel().ifPresentOrElse(l -> member.put("lastReportedLabel", l), () -> member.putNull("lastReportedLabel"));
            m.lastReportedLabel().ifPresentOrElse(l -> member.put("lastReportedStepStart", TimeSteps.start(l, stepSeconds).toString()),
                    () -> member.putNull("lastReportedStepStart"));
            m.droppedSince().ifPresentOrElse(t -> member.put("droppedSince", t.toString()), () -> member.putNull("droppedSince"));
            m.heardSince().ifPresentOrElse(t -> member.put("heardSince", t.toString()), () -> member.putNull("heardSince"));
        }
        return node;
    }

    private static ObjectNode groupJson(GroupStatus g, boolean withMembers) {
        ObjectNode node = Exchange.JSON.createObjectNode().put("group", g.group()).put("epoch", g.epoch()).put("phase", g.phase().name())
                .put("params", g.params()).put("stepSeconds", g.stepSeconds()).put("memberCount", g.members().size())
                .put("maskGraph", g.sparseGraph() ? "sparse" : "complete").put("maskGraphOption", g.maskGraphOption().configName())
                .put("publicKeysReceived", g.publicKeysReceived()).put("blindedKeysReceived", g.blindedKeysReceived());
        g.keySetupStalledSince().ifPresent(since -> node.put("keySetupStalledSince", since.toString()));
        if (g.activeFrom().isPresent()) {
            node.put("activeFromLabel", g.activeFrom().getAsLong());
        } else {
            node.putNull("activeFromLabel");
        }
        ArrayNode epochs = node.putArray("collectingEpochs");
        g.collectingEpochs().forEach(epochs::add);
        node.put("pendingCiphertexts", g.pendingCiphertexts());
        if (withMembers) {
            ArrayNode members = node.putArray("members");
            g.members().forEach(members::add);
        }
        return node;
    }
}
