namespace NetLab.Pcap;

/// <summary>Counters from pcap_stats since the capture was opened. On Linux, <see cref="Received"/> counts
/// frames that passed the filter, <see cref="Dropped"/> those the kernel dropped because the buffer was full,
/// <see cref="InterfaceDropped"/> those the interface dropped.</summary>
public readonly record struct CaptureStatistics(long Received, long Dropped, long InterfaceDropped);
