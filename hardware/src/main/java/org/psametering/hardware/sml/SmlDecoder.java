package org.psametering.hardware.sml;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.openmuc.jsml.structures.ASNObject;
import org.openmuc.jsml.structures.EMessageBody;
import org.openmuc.jsml.structures.Integer16;
import org.openmuc.jsml.structures.Integer32;
import org.openmuc.jsml.structures.Integer64;
import org.openmuc.jsml.structures.Integer8;
import org.openmuc.jsml.structures.SmlFile;
import org.openmuc.jsml.structures.SmlList;
import org.openmuc.jsml.structures.SmlListEntry;
import org.openmuc.jsml.structures.SmlMessage;
import org.openmuc.jsml.structures.Unsigned16;
import org.openmuc.jsml.structures.Unsigned32;
import org.openmuc.jsml.structures.Unsigned64;
import org.openmuc.jsml.structures.Unsigned8;
import org.openmuc.jsml.structures.responses.SmlGetListRes;

/**
 * Picks the energy register and power out of a decoded SML file (the GetList response every meter pushes).
 * OBIS codes are matched on A-B:C.D.E (the storage byte F varies between vendors): 1-0:1.8.0 import energy,
 * 1-0:16.7.0 power.
 */
public final class SmlDecoder {

    /** DLMS unit codes used by SML. */
    private static final int UNIT_WATT = 27;
    private static final int UNIT_WATT_HOUR = 30;

    private SmlDecoder() {
    }

    public static SmlReadout readout(SmlFile file) {
        OptionalLong energy = OptionalLong.empty();
        OptionalDouble power = OptionalDouble.empty();
        for (SmlMessage message : file.getMessages()) {
            if (message.getMessageBody().getTag() != EMessageBody.GET_LIST_RESPONSE) {
                continue;
            }
            SmlGetListRes response = message.getMessageBody().getChoice();
            SmlList list = response.getValList();
            if (list == null || list.getValListEntry() == null) {
                continue;
            }
            for (SmlListEntry entry : list.getValListEntry()) {
                byte[] obis = entry.getObjName() == null ? null : entry.getObjName().getValue();
                if (obis == null || obis.length != 6 || obis[0] != 1 || obis[1] != 0 || obis[4] != 0) {
                    continue;
                }
                int unit = entry.getUnit() == null ? -1 : entry.getUnit().getVal();
                if (obis[2] == 1 && obis[3] == 8 && (unit == UNIT_WATT_HOUR || unit == -1)) {
                    double wattHours = scaled(entry);
                    if (wattHours >= 0 && Double.isFinite(wattHours)) {
                        energy = OptionalLong.of(Math.round(wattHours * 1000));
                    }
                } else if (obis[2] == 16 && obis[3] == 7 && (unit == UNIT_WATT || unit == -1)) {
                    double watts = scaled(entry);
                    // negative power means export (PV feeding in); the consumption meter reports it as no draw
                    power = Double.isFinite(watts) ? OptionalDouble.of(Math.max(0, watts)) : power;
                }
            }
        }
        return new SmlReadout(energy, power);
    }

    private static double scaled(SmlListEntry entry) {
        ASNObject value = entry.getValue() == null ? null : entry.getValue().getChoice();
        Integer8 scaler = entry.getScaler();
        return numeric(value) * Math.pow(10, scaler == null ? 0 : scaler.getVal());
    }

    private static double numeric(ASNObject v) {
        return switch (v) {
            case Integer8 i -> i.getVal();
            case Integer16 i -> i.getVal();
            case Integer32 i -> i.getVal();
            case Integer64 i -> i.getVal();
            case Unsigned8 u -> u.getVal();
            case Unsigned16 u -> u.getVal();
            case Unsigned32 u -> u.getLongValue();
            case Unsigned64 u -> u.getVal() >= 0 ? u.getVal() : Double.NaN;
            case null, default -> Double.NaN;
        };
    }
}
