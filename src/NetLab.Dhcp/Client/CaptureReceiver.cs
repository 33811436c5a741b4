using NetLab.Pcap;

namespace NetLab.Dhcp.Client;

/// <summary>Bounds a receive on a live capture by a deadline and a cancellation token. libpcap 1.10 on Linux
/// (TPACKET_V3) may block in poll() past the capture's read timeout until some frame arrives, so a quiet link
/// would stall retransmissions; pcap_breakloop (<see cref="LiveCapture.Interrupt"/>) wakes it reliably.</summary>
internal static class CaptureReceiver
{
    /// <summary>Waits for the next frame until <paramref name="deadline"/>; false when it passes first.</summary>
    public static bool TryReceive(LiveCapture capture, DateTime deadline, CancellationToken cancellationToken, out CapturedFrame frame)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                frame = default;
                return false;
            }
            using (var wake = new Timer(static state => ((LiveCapture)state!).Interrupt(), capture, remaining, Timeout.InfiniteTimeSpan))
            using (cancellationToken.Register(static state => ((LiveCapture)state!).Interrupt(), capture))
            {
                if (capture.TryReceive(out frame))
                {
                    return true;
                }
            }
        }
    }
}
