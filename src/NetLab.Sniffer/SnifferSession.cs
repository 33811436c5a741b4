using System.Collections.Concurrent;
using System.Runtime;
using System.Threading.Channels;
using NetLab.Pcap;
using NetLab.Sniffer.Analysis;
using NetLab.Sniffer.Decoding;
using NetLab.Sniffer.Mail;
using NetLab.Sniffer.Output;
using NetLab.Sniffer.Reporting;
using Spectre.Console;

namespace NetLab.Sniffer;

/// <summary>Exit statuses of the sniffer.</summary>
public static class SnifferExitCode
{
    public const int Success = 0;
    /// <summary>Capture or file error (no such interface, no permission, bad filter, unreadable file).</summary>
    public const int CaptureFailed = 1;
    /// <summary>Bad command-line values.</summary>
    public const int BadUsage = 2;
    /// <summary>The capture and report are done but the mail could not be sent; the report is on disk.</summary>
    public const int MailNotSent = 3;
}

/// <summary>One sniffer run: capture or read, print, write the pcap, build and deliver the report.</summary>
public sealed class SnifferSession
{
    private readonly SnifferOptions _options;
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly FrameDecoder _decoder;
    private readonly CaptureAnalyzer _analyzer;
    private readonly FrameWriter? _frameWriter;
    private readonly bool _interactiveOutput;
    private long _frames;

    public SnifferSession(SnifferOptions options, TextWriter output, TextWriter error, bool interactiveOutput = false)
    {
        _options = options;
        _out = output;
        _err = error;
        _interactiveOutput = interactiveOutput;
        _decoder = new FrameDecoder(new DecoderOptions
        {
            Detailed = options.Layers || options.Hex,
            Summary = !options.Quiet,
            KeepBytes = options.Layers || options.Hex,
            AbsoluteTcpSequence = options.AbsoluteSequence,
        });
        _analyzer = new CaptureAnalyzer(options.TrustedDhcp);
        _analyzer.Alerts.Raised += alert => _err.WriteLine($"ALERT {alert.Kind}: {alert.Message}");
        if (!options.Quiet)
        {
            _frameWriter = new FrameWriter(output, new FrameOutputOptions(options.Layers, options.Hex, options.Number, options.UtcTime));
        }
    }

    /// <summary>Shows a countdown on this console while capturing (a terminal on stderr); null for none.</summary>
    public IAnsiConsole? ProgressConsole { get; init; }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        long? drops = null, interfaceDrops = null;
        string source;
        try
        {
            if (_options.ReadFile is { } path)
            {
                source = path;
                ReadFile(path, ct);
            }
            else
            {
                source = $"live capture on {_options.Interface}";
                (drops, interfaceDrops) = CaptureLive(_options.Interface!, ct);
            }
        }
        catch (PcapException e)
        {
            await _out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await _err.WriteLineAsync($"sniffer: {e.Message}{Hint(e)}").ConfigureAwait(false);
            return SnifferExitCode.CaptureFailed;
        }
        catch (IOException e)
        {
            await _err.WriteLineAsync($"sniffer: {e.Message}").ConfigureAwait(false);
            return SnifferExitCode.CaptureFailed;
        }
        await _out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return await DeliverReportAsync(source, drops, interfaceDrops).ConfigureAwait(false);
    }

    private static string Hint(PcapException e) => e.Kind switch
    {
        PcapErrorKind.PermissionDenied => " (run with sudo, or give the program CAP_NET_RAW)",
        PcapErrorKind.NoSuchDevice => " (list interfaces with: ip -br link)",
        PcapErrorKind.BadFilter => " (the filter uses pcap-filter(7) syntax, as tcpdump: e.g. \"udp port 67 or port 53\")",
        _ => "",
    };

    private void ReadFile(string path, CancellationToken ct)
    {
        // Without per-frame output a file read allocates little besides the report's tables (flows, queries,
        // sessions), and those live to the end: a collection in the middle copies them all and frees next to nothing
        // (bench/sniffer.sh: three collections, 55 ms of a 0.5 s report on 1,000,000 frames). So a quiet read runs in
        // a no-GC region; past its budget the GC collects as usual, as it does from the start for per-frame output,
        // which is mostly garbage.
        bool noGcRegion = _options.Quiet && TryStartNoGcRegion(QuietReadAllocationBudget);
        try
        {
            ReadFrames(path, ct);
        }
        finally
        {
            if (noGcRegion && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }

    /// <summary>What a quiet file read may allocate before the first collection: about 2,000,000 frames' worth.</summary>
    private const long QuietReadAllocationBudget = 256L << 20;

    private static bool TryStartNoGcRegion(long bytes)
    {
        try
        {
            return GC.TryStartNoGCRegion(bytes);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // more than this GC can set aside (a small heap limit in a container): collect as usual
        }
        catch (InvalidOperationException)
        {
            return false; // another session in this process is in its region
        }
    }

    /// <summary>Reads a file on two threads, as a pipeline: one reads and decodes, this one analyses and prints in
    /// frame order. Batches of decoded frames go back to the reader once analysed, and their frame objects are
    /// decoded into again, so the loop allocates almost nothing per frame.</summary>
    private void ReadFrames(string path, CancellationToken ct)
    {
        using var reader = PcapFileReader.Open(path);
        if (_options.Filter is { } filter)
        {
            reader.SetFilter(filter);
        }
        using var writer = _options.WriteFile is { } w ? PcapFileWriter.Create(w, reader.LinkType, _options.Snaplen) : null;
        // Bounded, so a slow printer holds the reader back instead of queueing the whole file in memory.
        using var decoded = new BlockingCollection<FrameBatch>(boundedCapacity: 4);
        var analysed = new ConcurrentQueue<FrameBatch>();
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Factory.StartNew(() =>
        {
            var batch = new FrameBatch();
            try
            {
                long number = 0;
                while (!stopReading.IsCancellationRequested && (_options.Count is not { } max || number < max) && reader.TryReadNext(out var frame))
                {
                    writer?.Write(frame.Timestamp, frame.Data, frame.OriginalLength);
                    _decoder.Decode(batch.Next(), ++number, frame.Timestamp, frame.OriginalLength, frame.Data, reader.LinkType);
                    if (batch.IsFull)
                    {
                        decoded.Add(batch, stopReading.Token);
                        batch = analysed.TryDequeue(out var used) ? used.Clear() : new FrameBatch();
                    }
                }
            }
            catch (OperationCanceledException) when (stopReading.IsCancellationRequested)
            {
                // stopped by Ctrl-C or by a failure on the analysing side
            }
            finally
            {
                // The last frames, also those before a damaged record (whose error then follows them).
                if (!stopReading.IsCancellationRequested)
                {
                    decoded.Add(batch, CancellationToken.None);
                }
                decoded.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var batch in decoded.GetConsumingEnumerable(CancellationToken.None))
            {
                foreach (var frame in batch.Frames)
                {
                    Observe(frame);
                }
                analysed.Enqueue(batch);
            }
        }
        finally
        {
            // An exception here (a failed write to stdout) must not leave the reader blocked on a full queue.
            stopReading.Cancel();
            while (decoded.TryTake(out _))
            {
            }
        }
        reading.GetAwaiter().GetResult(); // a damaged file's PcapException surfaces here, after the frames before it
    }

    /// <summary>Decoded frames handed from the reading thread to the analysing one in a block.</summary>
    private sealed class FrameBatch
    {
        private const int Capacity = 256;
        private readonly DecodedFrame[] _frames = new DecodedFrame[Capacity];
        private int _count;

        public bool IsFull => _count == Capacity;

        public ReadOnlySpan<DecodedFrame> Frames => _frames.AsSpan(0, _count);

        /// <summary>The next frame object to decode into (one from an earlier batch when this batch was used before).</summary>
        public DecodedFrame Next() => _frames[_count++] ??= new DecodedFrame();

        public FrameBatch Clear()
        {
            _count = 0;
            return this;
        }
    }

    private (long Dropped, long InterfaceDropped) CaptureLive(string device, CancellationToken ct)
    {
        using var capture = LiveCapture.Open(device, new LiveCaptureOptions
        {
            Snaplen = _options.Snaplen,
            Promiscuous = !_options.NoPromiscuous,
            // Immediate mode makes libpcap use TPACKET_V2 with one snaplen-sized slot per frame, so a 32 MiB ring
            // holds only ~128 frames and a GC pause drops bursts; block mode (TPACKET_V3, tcpdump's default when
            // writing to a pipe or file) packs frames and delivers them at least every TimeoutMs.
            Immediate = _interactiveOutput,
            TimeoutMs = 100,
            BufferSize = (_options.BufferSizeKiB ?? SnifferOptions.DefaultBufferSizeKiB) * 1024,
        });
        if (capture.ActivationWarning is { } warning)
        {
            _err.WriteLine($"sniffer: warning: {warning}");
        }
        if (_options.Filter is { } filter)
        {
            capture.SetFilter(filter);
        }
        using var writer = _options.WriteFile is { } w ? PcapFileWriter.Create(w, capture.LinkType, _options.Snaplen) : null;
        using var interrupt = ct.Register(capture.Interrupt);
        _err.WriteLine($"sniffer: listening on {device}, link-type {capture.LinkType}, snapshot length {_options.Snaplen} bytes"
            + (_options.Duration is { } d ? $", for {d.TotalSeconds:0.###} s" : "") + (_options.Count is { } c ? $", up to {c} frames" : ""));
        var started = DateTime.UtcNow;
        var deadline = _options.Duration is { } duration ? started + duration : DateTime.MaxValue;

        // Capture and decoding run on separate threads with an unbounded queue between them (as dumpcap and
        // tshark split the work): a slow moment in decoding, printing or the GC then costs memory, not kernel drops.
        var queue = Channel.CreateUnbounded<(DateTimeOffset Timestamp, int OriginalLength, byte[] Data)>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var linkType = capture.LinkType;
        var decoding = Task.Run(async () =>
        {
            while (await queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (queue.Reader.TryRead(out var item))
                {
                    Handle(item.Timestamp, item.OriginalLength, item.Data, linkType);
                }
                await _out.FlushAsync(CancellationToken.None).ConfigureAwait(false); // caught up: show what there is
            }
        }, CancellationToken.None);
        long captured = 0;

        void Loop(Action? onTick)
        {
            while (!ct.IsCancellationRequested && DateTime.UtcNow < deadline && (_options.Count is not { } max || captured < max))
            {
                if (capture.TryReceive(out var frame))
                {
                    captured++;
                    writer?.Write(frame.Timestamp, frame.Data, frame.OriginalLength);
                    queue.Writer.TryWrite((frame.Timestamp, frame.OriginalLength, frame.Data.ToArray()));
                }
                else
                {
                    writer?.Flush();
                }
                onTick?.Invoke();
            }
        }

        if (ProgressConsole is { } console && _options.Duration is { } total)
        {
            console.Progress().AutoClear(true).HideCompleted(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"capturing on {Markup.Escape(device)}", maxValue: total.TotalSeconds);
                    long lastShown = -1;
                    Loop(() =>
                    {
                        double elapsed = (DateTime.UtcNow - started).TotalSeconds;
                        task.Value = Math.Min(elapsed, total.TotalSeconds);
                        if (captured != lastShown)
                        {
                            lastShown = captured;
                            task.Description = $"capturing on {Markup.Escape(device)}: {captured} frames, {Math.Max(0, total.TotalSeconds - elapsed):0} s left";
                        }
                    });
                    task.StopTask();
                });
        }
        else
        {
            Loop(null);
        }
        var stats = capture.GetStatistics();
        queue.Writer.Complete();
        decoding.GetAwaiter().GetResult();
        _err.WriteLine($"{captured} packets captured\n{stats.Received} packets received by filter\n{stats.Dropped} packets dropped by kernel"
            + (stats.InterfaceDropped > 0 ? $"\n{stats.InterfaceDropped} packets dropped by interface" : ""));
        return (stats.Dropped, stats.InterfaceDropped);
    }

    private void Handle(DateTimeOffset timestamp, int originalLength, byte[] data, LinkType linkType) =>
        Observe(_decoder.Decode(_frames + 1, timestamp, originalLength, data, linkType));

    private void Observe(DecodedFrame decoded)
    {
        _frames++;
        _analyzer.Observe(decoded);
        _frameWriter?.Write(decoded);
    }

    private async Task<int> DeliverReportAsync(string source, long? drops, long? interfaceDrops)
    {
        if (_options.EffectiveReportFormat is not { } format)
        {
            return SnifferExitCode.Success;
        }
        var report = _analyzer.BuildReport(source, _options.Filter, drops, interfaceDrops, ReportRenderer.RowsNeeded(format));
        string rendered = ReportRenderer.Render(report, format);
        string? reportPath = _options.ReportFile;
        if (reportPath is null && _options.MailTo.Count > 0)
        {
            reportPath = $"sniffer-report-{DateTime.Now:yyyyMMdd-HHmmss}{ReportRenderer.FileExtension(format)}";
        }
        if (reportPath is null)
        {
            await _out.WriteAsync(rendered).ConfigureAwait(false);
            await _out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await File.WriteAllTextAsync(reportPath, rendered, CancellationToken.None).ConfigureAwait(false);
            await _err.WriteLineAsync($"sniffer: report written to {Path.GetFullPath(reportPath)}").ConfigureAwait(false);
        }
        if (_options.MailTo.Count == 0)
        {
            return SnifferExitCode.Success;
        }

        MailSettings.TryParseServer(_options.Smtp!, out string host, out int port, out _);
        string? password = _options.SmtpPasswordFile is { } file ? (await File.ReadAllLinesAsync(file).ConfigureAwait(false)).FirstOrDefault()?.Trim() : null;
        var settings = new MailSettings(_options.MailTo, _options.MailFrom ?? "sniffer@localhost", host, port, _options.SmtpStartTls, _options.SmtpUser, password);
        string subject = $"NetLab sniffer report: {source}, {report.Frames} frames, {report.Alerts.Count} alert{(report.Alerts.Count == 1 ? "" : "s")}";
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await ReportMailer.SendAsync(settings, subject, TextReportRenderer.Render(report), HtmlReportRenderer.Render(report),
                _options.WriteFile, timeout.Token).ConfigureAwait(false);
            await _err.WriteLineAsync($"sniffer: report mailed to {string.Join(", ", _options.MailTo)} via {host}:{port}").ConfigureAwait(false);
            return SnifferExitCode.Success;
        }
        catch (Exception e) when (e is System.Net.Mail.SmtpException or IOException or OperationCanceledException or InvalidOperationException
            or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            await _err.WriteLineAsync($"sniffer: the report was NOT mailed to {string.Join(", ", _options.MailTo)} via {host}:{port}: {ReportMailer.Describe(e)}; "
                + $"the report is kept at {Path.GetFullPath(reportPath!)}").ConfigureAwait(false);
            return SnifferExitCode.MailNotSent;
        }
    }
}
