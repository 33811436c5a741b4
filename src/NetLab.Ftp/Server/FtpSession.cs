using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using NetLab.Ftp.Common;
using NetLab.Protocols.Ftp;

namespace NetLab.Ftp.Server;

/// <summary>One client's control connection: reads commands, answers with RFC 959 reply codes and runs
/// transfers in the background so that ABOR and STAT are heard while data flows.</summary>
internal sealed partial class FtpSession : IAsyncDisposable
{
    private static readonly HashSet<string> AllowedBeforeLogin =
        ["USER", "PASS", "QUIT", "NOOP", "SYST", "FEAT", "OPTS", "HELP", "AUTH", "PBSZ", "PROT", "STAT"];

    private static readonly HashSet<string> WriteCommands = ["STOR", "STOU", "APPE", "DELE", "MKD", "XMKD", "RMD", "XRMD", "RNFR", "RNTO"];

    private readonly FtpServer _server;
    private readonly FtpServerOptions _options;
    private readonly Socket _control;
    private readonly ILogger _logger;
    private readonly IPEndPoint _remote;
    private readonly IPAddress _remoteAddress;
    private readonly FtpLineReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _sessionCts = new();
    private Stream _stream;
    private long _lastActivityTicks = Environment.TickCount64;

    private string? _pendingUser;
    private string? _user;
    private bool _canWrite;
    private int _failedLogins;
    private string _workingDirectory = "/";
    private bool _binary = true;
    private long _restartOffset;
    private string? _renameFrom;
    private bool _tlsActive;
    private bool _protectionBufferSet;
    private bool _protectData;
    private int _lastReplyCode;

    public FtpSession(FtpServer server, Socket control, ILogger logger)
    {
        _server = server;
        _options = server.Options;
        _control = control;
        _logger = logger;
        _remote = (IPEndPoint)control.RemoteEndPoint!;
        _remoteAddress = Normalize(_remote.Address);
        // Urgent data stays in the stream: ftplib sends "ABOR\r\n" with MSG_OOB, and without this Linux
        // would pull its last byte out of the stream.
        control.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.OutOfBandInline, true);
        control.NoDelay = true;
        _stream = new NetworkStream(control, ownsSocket: false);
        _reader = new FtpLineReader(_stream);
    }

    private bool LoggedIn => _user is not null;
    private string UserForLog => _user ?? _pendingUser ?? "-";

    public async Task RunAsync(CancellationToken serverToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(serverToken, _sessionCts.Token);
        var token = linked.Token;
        var watchdog = WatchIdleAsync(token);
        try
        {
            await ReplyAsync(220, "NetLab FTP server ready.").ConfigureAwait(false);
            while (!token.IsCancellationRequested)
            {
                var (result, line) = await _reader.ReadLineAsync(token).ConfigureAwait(false);
                if (result == LineResult.End)
                {
                    _controlClosed = true;
                    break;
                }
                Touch();
                if (result == LineResult.TooLong)
                {
                    await ReplyAsync(500, "Command line too long.").ConfigureAwait(false);
                    continue;
                }
                if (!FtpCommandLine.TryParse(line, out var command))
                {
                    await ReplyAsync(500, "Syntax error, command unrecognized.").ConfigureAwait(false);
                    continue;
                }
                if (!await HandleAsync(command).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Idle timeout, too many failed logins or server shutdown: the reply was already sent.
        }
        finally
        {
            _controlClosed = true;
            await _sessionCts.CancelAsync().ConfigureAwait(false);
            await AbortTransferAsync(sendReply: false).ConfigureAwait(false);
            await watchdog.ConfigureAwait(false);
        }
    }

    /// <summary>Handles one command; false ends the session.</summary>
    private async Task<bool> HandleAsync(FtpCommandLine command)
    {
        string verb = command.Verb;
        if (TransferRunning)
        {
            switch (verb)
            {
                case "ABOR":
                    await AbortTransferAsync(sendReply: true).ConfigureAwait(false);
                    LogCommand(command);
                    return true;
                case "STAT":
                    await ReplyAsync(213, $"Transfer in progress: {Interlocked.Read(ref _transferredBytes)} bytes so far.").ConfigureAwait(false);
                    LogCommand(command);
                    return true;
                case "QUIT":
                    await AbortTransferAsync(sendReply: false).ConfigureAwait(false);
                    await ReplyAsync(221, "Goodbye.").ConfigureAwait(false);
                    LogCommand(command);
                    return false;
                default:
                    // RFC 959 5.4: other commands wait until the transfer has finished.
                    await WaitForTransferAsync().ConfigureAwait(false);
                    break;
            }
        }

        bool keepGoing = true;
        _lastReplyCode = 0;
        if (!LoggedIn && !AllowedBeforeLogin.Contains(verb))
        {
            await ReplyAsync(530, "Please login with USER and PASS.").ConfigureAwait(false);
        }
        else if (WriteCommands.Contains(verb) && !_canWrite)
        {
            await ReplyAsync(550, "Permission denied: this account is read-only.").ConfigureAwait(false);
        }
        else
        {
            keepGoing = await DispatchAsync(command).ConfigureAwait(false);
        }
        if (verb is "RETR" or "STOR" or "APPE" or "STOU")
        {
            // Consumed or refused: a REST marker applies to the next transfer command only (RFC 3659 5.3).
            _restartOffset = 0;
        }
        if (verb != "RNFR" && _lastReplyCode != 350)
        {
            _renameFrom = null;
        }
        LogCommand(command);
        return keepGoing;
    }

    private async Task<bool> DispatchAsync(FtpCommandLine command)
    {
        string arg = command.Argument;
        switch (command.Verb)
        {
            case "USER": await UserAsync(arg).ConfigureAwait(false); break;
            case "PASS": return await PassAsync(arg).ConfigureAwait(false);
            case "QUIT": await ReplyAsync(221, "Goodbye.").ConfigureAwait(false); return false;
            case "NOOP": await ReplyAsync(200, "NOOP ok.").ConfigureAwait(false); break;
            case "SYST": await ReplyAsync(215, "UNIX Type: L8").ConfigureAwait(false); break;
            case "FEAT": await FeaturesAsync().ConfigureAwait(false); break;
            case "OPTS": await OptionsAsync(arg).ConfigureAwait(false); break;
            case "HELP": await HelpAsync().ConfigureAwait(false); break;
            case "STAT": await StatusAsync(arg).ConfigureAwait(false); break;
            case "AUTH": return await AuthAsync(arg).ConfigureAwait(false);
            case "PBSZ": await ProtectionBufferAsync(arg).ConfigureAwait(false); break;
            case "PROT": await ProtectionLevelAsync(arg).ConfigureAwait(false); break;
            case "TYPE": await TypeAsync(arg).ConfigureAwait(false); break;
            case "MODE":
                await (arg.Equals("S", StringComparison.OrdinalIgnoreCase)
                    ? ReplyAsync(200, "Mode set to S.") : ReplyAsync(504, "Only stream mode (MODE S) is supported.")).ConfigureAwait(false);
                break;
            case "STRU":
                await (arg.Equals("F", StringComparison.OrdinalIgnoreCase)
                    ? ReplyAsync(200, "Structure set to F.") : ReplyAsync(504, "Only file structure (STRU F) is supported.")).ConfigureAwait(false);
                break;
            case "PWD" or "XPWD": await ReplyAsync(257, $"{Quote(_workingDirectory)} is the current directory.").ConfigureAwait(false); break;
            case "CWD" or "XCWD": await ChangeDirectoryAsync(arg).ConfigureAwait(false); break;
            case "CDUP" or "XCUP": await ChangeDirectoryAsync("..").ConfigureAwait(false); break;
            case "PASV": await PassiveAsync(extended: false, arg).ConfigureAwait(false); break;
            case "EPSV": await PassiveAsync(extended: true, arg).ConfigureAwait(false); break;
            case "PORT": await ActiveAsync(arg, extended: false).ConfigureAwait(false); break;
            case "EPRT": await ActiveAsync(arg, extended: true).ConfigureAwait(false); break;
            case "REST": await RestartAsync(arg).ConfigureAwait(false); break;
            case "LIST": await StartListingAsync(arg, ListingKind.Long).ConfigureAwait(false); break;
            case "NLST": await StartListingAsync(arg, ListingKind.Names).ConfigureAwait(false); break;
            case "MLSD": await StartListingAsync(arg, ListingKind.Machine).ConfigureAwait(false); break;
            case "MLST": await MachineListSingleAsync(arg).ConfigureAwait(false); break;
            case "SIZE": await SizeAsync(arg).ConfigureAwait(false); break;
            case "MDTM": await ModificationTimeAsync(arg).ConfigureAwait(false); break;
            case "RETR": await StartRetrieveAsync(arg).ConfigureAwait(false); break;
            case "STOR": await StartStoreAsync(arg, StoreKind.Replace).ConfigureAwait(false); break;
            case "APPE": await StartStoreAsync(arg, StoreKind.Append).ConfigureAwait(false); break;
            case "STOU": await StartStoreAsync(arg, StoreKind.Unique).ConfigureAwait(false); break;
            case "DELE": await DeleteAsync(arg).ConfigureAwait(false); break;
            case "MKD" or "XMKD": await MakeDirectoryAsync(arg).ConfigureAwait(false); break;
            case "RMD" or "XRMD": await RemoveDirectoryAsync(arg).ConfigureAwait(false); break;
            case "RNFR": await RenameFromAsync(arg).ConfigureAwait(false); break;
            case "RNTO": await RenameToAsync(arg).ConfigureAwait(false); break;
            case "ABOR": await ReplyAsync(225, "No transfer to abort.").ConfigureAwait(false); break;
            case "ACCT": await ReplyAsync(202, "ACCT not needed.").ConfigureAwait(false); break;
            case "ALLO": await ReplyAsync(202, "ALLO not needed.").ConfigureAwait(false); break;
            case "SMNT" or "REIN":
                await ReplyAsync(502, $"{command.Verb} not implemented.").ConfigureAwait(false);
                break;
            default: await ReplyAsync(500, $"Unknown command {command.Verb}.").ConfigureAwait(false); break;
        }
        return true;
    }

    // ---- login (RFC 959 4.1.1) ----

    private static bool IsAnonymousName(string name)
        => name.Equals("anonymous", StringComparison.OrdinalIgnoreCase) || name.Equals("ftp", StringComparison.OrdinalIgnoreCase);

    private async Task UserAsync(string name)
    {
        if (name.Length == 0)
        {
            await ReplyAsync(501, "USER needs a user name.").ConfigureAwait(false);
            return;
        }
        _user = null;
        _canWrite = false;
        _pendingUser = name;
        await ReplyAsync(331, IsAnonymousName(name) && _options.AllowAnonymous
            ? "Anonymous login ok, send your e-mail address as password." : $"Password required for {name}.").ConfigureAwait(false);
    }

    private async Task<bool> PassAsync(string password)
    {
        if (_pendingUser is null)
        {
            await ReplyAsync(503, "Login with USER first.").ConfigureAwait(false);
            return true;
        }
        string name = _pendingUser;
        bool ok;
        bool anonymous = IsAnonymousName(name) && _options.AllowAnonymous;
        if (anonymous)
        {
            ok = true;
        }
        else
        {
            bool? verdict = _options.Users is null ? null
                : await _options.Users.VerifyAsync(name, password, _sessionCts.Token).ConfigureAwait(false);
            ok = verdict == true;
        }
        if (ok)
        {
            _user = anonymous ? "anonymous" : name;
            _canWrite = !anonymous || _options.AnonymousWrite;
            _failedLogins = 0;
            await ReplyAsync(230, anonymous ? $"Anonymous user logged in{(_canWrite ? "" : " (read-only)")}." : $"User {name} logged in.").ConfigureAwait(false);
            return true;
        }
        _failedLogins++;
        _pendingUser = null;
        _logger.LogWarning("{Client} failed login for {User} ({Count} of {Max})", _remote, name, _failedLogins, _options.MaxLoginFailures);
        // Each failure costs more time (vsftpd's delay_failed_login), which slows password guessing.
        await Task.Delay(_options.FailedLoginDelay * _failedLogins, _sessionCts.Token).ConfigureAwait(false);
        if (_failedLogins >= _options.MaxLoginFailures)
        {
            await ReplyAsync(421, "Too many failed logins, closing connection.").ConfigureAwait(false);
            return false;
        }
        await ReplyAsync(530, "Login incorrect.").ConfigureAwait(false);
        return true;
    }

    // ---- informational commands ----

    private Task FeaturesAsync()
    {
        var features = new List<string>();
        if (_server.TlsOptions is not null)
        {
            features.AddRange(["AUTH TLS", "PBSZ", "PROT"]);
        }
        features.AddRange(["EPRT", "EPSV", "MDTM", "MLST type*;size*;modify*;perm*;", "REST STREAM", "SIZE", "TVFS", "UTF8"]);
        return ReplyLinesAsync(211, "Features:", features.Select(f => " " + f), "End");
    }

    private Task OptionsAsync(string argument)
    {
        string[] words = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        string option = words.Length > 0 ? words[0].ToUpperInvariant() : "";
        return option switch
        {
            // RFC 2640 section 3.2: UTF-8 is always on here, so OPTS UTF8 ON only confirms it.
            "UTF8" => ReplyAsync(200, "UTF8 mode is always enabled."),
            "MLST" => ReplyAsync(200, "MLST OPTS type;size;modify;perm;"),
            _ => ReplyAsync(501, $"Option '{argument}' not understood."),
        };
    }

    private Task HelpAsync()
    {
        string[] commands =
        [
            " ABOR ACCT ALLO APPE AUTH CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD",
            " MLSD MLST MODE NLST NOOP OPTS PASS PASV PBSZ PORT PROT PWD  QUIT REST RETR",
            " RMD  RNFR RNTO SIZE STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD XPWD XRMD",
        ];
        return ReplyLinesAsync(214, "The following commands are recognized:", commands, "Help OK.");
    }

    private async Task StatusAsync(string argument)
    {
        if (argument.Length == 0)
        {
            string[] lines =
            [
                $" Connected to {_remoteAddress}",
                $" Logged in as {UserForLog}",
                $" TYPE: {(_binary ? "BINARY" : "ASCII")}, STRUcture: File, MODE: Stream",
                $" Control connection {(_tlsActive ? "protected by TLS" : "plain")}; data {(_protectData ? "protected" : "clear")}",
                " No data transfer in progress",
            ];
            await ReplyLinesAsync(211, "NetLab FTP server status:", lines, "End of status.").ConfigureAwait(false);
            return;
        }
        if (!LoggedIn)
        {
            await ReplyAsync(530, "Please login with USER and PASS.").ConfigureAwait(false);
            return;
        }
        if (await ResolveExistingAsync(argument) is not { } path)
        {
            return;
        }
        var now = DateTime.UtcNow;
        await ReplyLinesAsync(213, $"Status of {argument}:", DirectoryListing.Entries(path.Real).Select(e => DirectoryListing.LongLine(e, now)),
            "End of status.").ConfigureAwait(false);
    }

    // ---- TLS (RFC 4217) ----

    private async Task<bool> AuthAsync(string mechanism)
    {
        if (_server.TlsOptions is null)
        {
            await ReplyAsync(502, "AUTH not available: the server has no certificate (--tls-cert/--tls-key).").ConfigureAwait(false);
            return true;
        }
        if (!(mechanism.Equals("TLS", StringComparison.OrdinalIgnoreCase) || mechanism.Equals("TLS-C", StringComparison.OrdinalIgnoreCase)
            || mechanism.Equals("SSL", StringComparison.OrdinalIgnoreCase)))
        {
            await ReplyAsync(504, $"AUTH {mechanism} not supported; use AUTH TLS.").ConfigureAwait(false);
            return true;
        }
        if (_tlsActive)
        {
            await ReplyAsync(503, "TLS is already active.").ConfigureAwait(false);
            return true;
        }
        await ReplyAsync(234, "AUTH TLS successful, starting TLS.").ConfigureAwait(false);
        if (_reader.HasBufferedData)
        {
            // Commands sent in clear after AUTH would be taken as protected (STARTTLS command injection).
            _logger.LogWarning("{Client} sent data after AUTH before the TLS handshake; closing", _remote);
            return false;
        }
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(_server.TlsOptions, _sessionCts.Token).ConfigureAwait(false);
        _stream = tls;
        _reader.Stream = tls;
        _tlsActive = true;
        // A new security exchange resets the user (RFC 4217 section 6).
        _user = null;
        _pendingUser = null;
        return true;
    }

    private Task ProtectionBufferAsync(string argument)
    {
        if (!_tlsActive)
        {
            return ReplyAsync(503, "PBSZ needs AUTH TLS first.");
        }
        _protectionBufferSet = true;
        // RFC 4217 section 8: for TLS the buffer size is 0.
        return ReplyAsync(200, "PBSZ=0");
    }

    private Task ProtectionLevelAsync(string level)
    {
        if (!_tlsActive || !_protectionBufferSet)
        {
            return ReplyAsync(503, "PROT needs AUTH TLS and PBSZ first.");
        }
        switch (level.ToUpperInvariant())
        {
            case "P":
                _protectData = true;
                return ReplyAsync(200, "Data channel protection level set to Private.");
            case "C":
                _protectData = false;
                return ReplyAsync(200, "Data channel protection level set to Clear.");
            case "S" or "E":
                return ReplyAsync(536, $"PROT {level} not supported; use P or C.");
            default:
                return ReplyAsync(504, $"Unknown protection level '{level}'.");
        }
    }

    private Task TypeAsync(string argument)
    {
        string[] words = argument.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words.Length > 0 ? words[0] : "")
        {
            case "I":
            case "L" when words.Length > 1 && words[1] == "8":
                _binary = true;
                return ReplyAsync(200, "Type set to I.");
            case "A" when words.Length == 1 || words[1] == "N":
                _binary = false;
                return ReplyAsync(200, "Type set to A.");
            default:
                return ReplyAsync(504, $"Type '{argument}' not supported; use A or I.");
        }
    }

    // ---- replies and logging ----

    private Task ReplyAsync(int code, string text)
    {
        _lastReplyCode = code;
        return SendReplyAsync(code, text);
    }

    /// <summary>Sends a reply without recording it as the answer to the current command (transfer replies).</summary>
    private async Task SendReplyAsync(int code, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(new FtpReplyLine(code, true, text).ToString());
        await WriteControlAsync(bytes).ConfigureAwait(false);
    }

    /// <summary>A multi-line reply (RFC 959 4.2): "code-first", text lines starting with a space, "code last".</summary>
    private async Task ReplyLinesAsync(int code, string first, IEnumerable<string> lines, string last)
    {
        _lastReplyCode = code;
        var text = new StringBuilder();
        text.Append(new FtpReplyLine(code, false, first));
        foreach (string line in lines)
        {
            text.Append(line.StartsWith(' ') ? line : " " + line).Append("\r\n");
        }
        text.Append(new FtpReplyLine(code, true, last));
        await WriteControlAsync(Encoding.UTF8.GetBytes(text.ToString())).ConfigureAwait(false);
    }

    private async Task WriteControlAsync(byte[] bytes)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes).ConfigureAwait(false);
            await _stream.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void LogCommand(FtpCommandLine command)
    {
        // Passwords never reach the log.
        string line = command.Verb == "PASS" ? "PASS ****" : command.HasArgument ? $"{command.Verb} {command.Argument}" : command.Verb;
        string result = _lastReplyCode == 0 ? "transfer started" : _lastReplyCode.ToString(CultureInfo.InvariantCulture);
        _logger.LogInformation("{Client} {User} {Command} -> {Result}", _remote, UserForLog, line, result);
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivityTicks, Environment.TickCount64);

    private async Task WatchIdleAsync(CancellationToken token)
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_options.IdleTimeout.TotalMilliseconds / 4, 100, 5000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                long idleMs = Environment.TickCount64 - Interlocked.Read(ref _lastActivityTicks);
                if (!TransferRunning && idleMs > _options.IdleTimeout.TotalMilliseconds)
                {
                    _logger.LogInformation("{Client} {User} idle for {Seconds:F0} s, closing", _remote, UserForLog, idleMs / 1000.0);
                    await ReplyAsync(421, "Idle timeout, closing control connection.").ConfigureAwait(false);
                    await _sessionCts.CancelAsync().ConfigureAwait(false);
                    _control.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Session over.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The connection died while we were about to close it anyway.
        }
    }

    private static string Quote(string path) => "\"" + path.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string FormatRate(long bytes, TimeSpan elapsed)
        => (bytes / 1_000_000.0 / Math.Max(elapsed.TotalSeconds, 1e-6)).ToString("F1", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        ClosePassiveListener();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
        _sessionCts.Dispose();
    }
}
