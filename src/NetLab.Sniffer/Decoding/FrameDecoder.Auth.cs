using System.Globalization;

namespace NetLab.Sniffer.Decoding;

public sealed partial class FrameDecoder
{
    private void DecodeAuth(DecodedFrame frame, int offset, ReadOnlySpan<byte> payload, bool fromClient)
    {
        AddLayer(frame, "auth", "NetLab auth protocol", offset, payload.Length);
        _summary.Append(CultureInfo.InvariantCulture, $": auth {(fromClient ? "request" : "response")}, {payload.Length} bytes");
    }
}
