using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace NetLab.Ftp.Server;

/// <summary>File system commands and transfers. Every path goes through <see cref="VirtualFileSystem"/>.</summary>
internal sealed partial class FtpSession
{
    private const int CopyBufferSize = 1 << 20;

    private Task? _transfer;
    private CancellationTokenSource? _transferCts;
    private long _transferredBytes;
    private volatile bool _controlClosed;

    private bool TransferRunning => _transfer is { IsCompleted: false };

    private enum ListingKind
    {
        Long,
        Names,
        Machine,
    }

    private enum StoreKind
    {
        Replace,
        Append,
        Unique,
    }

    private readonly record struct ResolvedPath(string Virtual, string Real);

    /// <summary>Resolves a client path inside the root, replying 550 when it is outside or invalid.</summary>
    private async Task<ResolvedPath?> ResolveAsync(string argument)
    {
        string? virtualPath = VirtualFileSystem.Combine(_workingDirectory, argument);
        if (virtualPath is null || !_server.FileSystem.TryResolve(virtualPath, out string? real))
        {
            _logger.LogWarning("{Client} {User} path outside the root refused: {Path}", _remote, UserForLog, argument);
            await ReplyAsync(550, "Permission denied: path is outside the FTP root.").ConfigureAwait(false);
            return null;
        }
        return new ResolvedPath(virtualPath, real);
    }

    private async Task<ResolvedPath?> ResolveExistingAsync(string argument)
    {
        if (await ResolveAsync(argument).ConfigureAwait(false) is not { } path)
        {
            return null;
        }
        if (!Path.Exists(path.Real))
        {
            await ReplyAsync(550, $"{argument}: No such file or directory.").ConfigureAwait(false);
            return null;
        }
        return path;
    }

    private async Task<ResolvedPath?> ResolveFileAsync(string argument)
    {
        if (argument.Length == 0)
        {
            await ReplyAsync(501, "A file name is required.").ConfigureAwait(false);
            return null;
        }
        if (await ResolveExistingAsync(argument).ConfigureAwait(false) is not { } path)
        {
            return null;
        }
        if (!File.Exists(path.Real))
        {
            await ReplyAsync(550, $"{argument}: Not a regular file.").ConfigureAwait(false);
            return null;
        }
        return path;
    }

    private async Task ChangeDirectoryAsync(string argument)
    {
        if (await ResolveExistingAsync(argument.Length == 0 ? "/" : argument).ConfigureAwait(false) is not { } path)
        {
            return;
        }
        if (!Directory.Exists(path.Real))
        {
            await ReplyAsync(550, $"{argument}: Not a directory.").ConfigureAwait(false);
            return;
        }
        _workingDirectory = path.Virtual;
        await ReplyAsync(250, $"Directory changed to {path.Virtual}.").ConfigureAwait(false);
    }

    private async Task SizeAsync(string argument)
    {
        if (await ResolveFileAsync(argument).ConfigureAwait(false) is { } path)
        {
            await ReplyAsync(213, new FileInfo(path.Real).Length.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }
    }

    private async Task ModificationTimeAsync(string argument)
    {
        if (await ResolveFileAsync(argument).ConfigureAwait(false) is { } path)
        {
            await ReplyAsync(213, DirectoryListing.Timestamp(File.GetLastWriteTimeUtc(path.Real))).ConfigureAwait(false);
        }
    }

    private async Task MachineListSingleAsync(string argument)
    {
        if (await ResolveExistingAsync(argument.Length == 0 ? "." : argument).ConfigureAwait(false) is not { } path)
        {
            return;
        }
        FileSystemInfo entry = Directory.Exists(path.Real) ? new DirectoryInfo(path.Real) : new FileInfo(path.Real);
        // RFC 3659 7.2: the single entry line starts with a space and names the path as given.
        await ReplyLinesAsync(250, $"Listing {path.Virtual}", [" " + DirectoryListing.Facts(entry, _canWrite, path.Virtual)], "End").ConfigureAwait(false);
    }

    private async Task RestartAsync(string argument)
    {
        if (!long.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out long offset))
        {
            await ReplyAsync(501, "REST needs a byte offset.").ConfigureAwait(false);
            return;
        }
        _restartOffset = offset;
        await ReplyAsync(350, $"Restarting at {offset}. Send STORE or RETRIEVE.").ConfigureAwait(false);
    }

    private async Task DeleteAsync(string argument)
    {
        if (await ResolveFileAsync(argument).ConfigureAwait(false) is not { } path)
        {
            return;
        }
        await RunFileOperationAsync(() => File.Delete(path.Real), 250, "File deleted.").ConfigureAwait(false);
    }

    private async Task MakeDirectoryAsync(string argument)
    {
        if (argument.Length == 0 || await ResolveAsync(argument).ConfigureAwait(false) is not { } path)
        {
            if (argument.Length == 0)
            {
                await ReplyAsync(501, "MKD needs a directory name.").ConfigureAwait(false);
            }
            return;
        }
        if (Path.Exists(path.Real) || !Directory.Exists(Path.GetDirectoryName(path.Real)))
        {
            await ReplyAsync(550, $"{argument}: {(Path.Exists(path.Real) ? "already exists" : "parent directory does not exist")}.").ConfigureAwait(false);
            return;
        }
        await RunFileOperationAsync(() => Directory.CreateDirectory(path.Real), 257, $"{Quote(path.Virtual)} created.").ConfigureAwait(false);
    }

    private async Task RemoveDirectoryAsync(string argument)
    {
        if (await ResolveExistingAsync(argument).ConfigureAwait(false) is not { } path)
        {
            return;
        }
        if (!Directory.Exists(path.Real) || path.Virtual == "/")
        {
            await ReplyAsync(550, $"{argument}: {(path.Virtual == "/" ? "the root cannot be removed" : "Not a directory")}.").ConfigureAwait(false);
            return;
        }
        await RunFileOperationAsync(() => Directory.Delete(path.Real, recursive: false), 250, "Directory removed.").ConfigureAwait(false);
    }

    private async Task RenameFromAsync(string argument)
    {
        if (await ResolveExistingAsync(argument).ConfigureAwait(false) is not { } path)
        {
            return;
        }
        if (path.Virtual == "/")
        {
            await ReplyAsync(550, "The root cannot be renamed.").ConfigureAwait(false);
            return;
        }
        _renameFrom = path.Real;
        await ReplyAsync(350, "Ready for RNTO.").ConfigureAwait(false);
    }

    private async Task RenameToAsync(string argument)
    {
        string? source = _renameFrom;
        _renameFrom = null;
        if (source is null)
        {
            await ReplyAsync(503, "RNTO must follow RNFR.").ConfigureAwait(false);
            return;
        }
        if (await ResolveAsync(argument).ConfigureAwait(false) is not { } target)
        {
            return;
        }
        await RunFileOperationAsync(() =>
        {
            if (Directory.Exists(source))
            {
                Directory.Move(source, target.Real);
            }
            else
            {
                File.Move(source, target.Real, overwrite: true);
            }
        }, 250, "Rename successful.").ConfigureAwait(false);
    }

    /// <summary>Runs a file system change and turns its failure into a 550 that says why.</summary>
    private async Task RunFileOperationAsync(Action operation, int successCode, string successText)
    {
        string? error = null;
        try
        {
            operation();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex is UnauthorizedAccessException ? "Permission denied." : ex.Message;
        }
        await (error is null ? ReplyAsync(successCode, successText) : ReplyAsync(550, error)).ConfigureAwait(false);
    }

    // ---- transfers ----

    private async Task StartListingAsync(string argument, ListingKind kind)
    {
        // Clients send ls options such as "LIST -la"; they are not paths.
        string target = argument;
        while (target.StartsWith('-'))
        {
            int space = target.IndexOf(' ', StringComparison.Ordinal);
            target = space < 0 ? "" : target[(space + 1)..].TrimStart();
        }
        if (await ResolveExistingAsync(target.Length == 0 ? "." : target).ConfigureAwait(false) is not { } path)
        {
            return;
        }
        if (kind == ListingKind.Machine && !Directory.Exists(path.Real))
        {
            await ReplyAsync(501, $"{target}: MLSD needs a directory.").ConfigureAwait(false);
            return;
        }
        BeginTransfer(kind.ToString().ToUpperInvariant() + " " + path.Virtual, "Here comes the directory listing.", async (data, ct) =>
        {
            var now = DateTime.UtcNow;
            var text = new StringBuilder();
            foreach (var entry in DirectoryListing.Entries(path.Real))
            {
                text.Append(kind switch
                {
                    ListingKind.Long => DirectoryListing.LongLine(entry, now),
                    ListingKind.Machine => DirectoryListing.Facts(entry, _canWrite),
                    _ => entry.Name,
                }).Append("\r\n");
            }
            byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
            await data.Stream.WriteAsync(bytes, ct).ConfigureAwait(false);
            Interlocked.Add(ref _transferredBytes, bytes.Length);
            await data.FinishAsync().ConfigureAwait(false);
        }, commit: null, cleanup: null);
    }

    private async Task StartRetrieveAsync(string argument)
    {
        long offset = _restartOffset;
        if (await ResolveFileAsync(argument).ConfigureAwait(false) is not { } path)
        {
            return;
        }
        long length = new FileInfo(path.Real).Length;
        if (offset > length)
        {
            await ReplyAsync(554, $"REST offset {offset} is beyond the end of the file ({length} bytes).").ConfigureAwait(false);
            return;
        }
        FileStream file;
        try
        {
            file = new FileStream(path.Real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await ReplyAsync(550, $"{argument}: cannot open ({ex.Message}).").ConfigureAwait(false);
            return;
        }
        BeginTransfer($"RETR {path.Virtual}", $"Opening {(_binary ? "BINARY" : "ASCII")} mode data connection for {argument} ({length - offset} bytes).", async (data, ct) =>
        {
            if (data.Tls is null && offset == 0)
            {
                // The kernel copies file pages straight to the socket: Socket.SendFileAsync is sendfile(2) on Linux.
                await data.Socket.SendFileAsync(path.Real, ct).ConfigureAwait(false);
                Interlocked.Add(ref _transferredBytes, length);
            }
            else
            {
                file.Seek(offset, SeekOrigin.Begin);
                await CopyAsync(file, data.Stream, ct).ConfigureAwait(false);
            }
            await data.FinishAsync().ConfigureAwait(false);
        }, commit: null, cleanup: () => file.Dispose());
    }

    private async Task StartStoreAsync(string argument, StoreKind kind)
    {
        long offset = _restartOffset;
        if (kind != StoreKind.Unique && argument.Length == 0)
        {
            await ReplyAsync(501, "A file name is required.").ConfigureAwait(false);
            return;
        }
        string name = kind == StoreKind.Unique
            ? $"{(argument.Length > 0 ? argument : "file")}.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(100000, 999999)}"
            : argument;
        if (await ResolveAsync(name).ConfigureAwait(false) is not { } target)
        {
            return;
        }
        string directory = Path.GetDirectoryName(target.Real)!;
        if (!Directory.Exists(directory) || Directory.Exists(target.Real))
        {
            await ReplyAsync(553, $"{name}: {(Directory.Exists(target.Real) ? "is a directory" : "directory does not exist")}.").ConfigureAwait(false);
            return;
        }
        bool exists = File.Exists(target.Real);
        long keep = kind == StoreKind.Append && exists ? new FileInfo(target.Real).Length : offset;
        if (keep > 0 && (!exists || new FileInfo(target.Real).Length < keep))
        {
            await ReplyAsync(554, $"Cannot restart at {keep}: {name} is shorter.").ConfigureAwait(false);
            return;
        }
        // The upload goes to a hidden temporary name in the same directory and is renamed over the
        // target only when complete, so an interrupted upload never leaves a partial file under it.
        string temp = Path.Join(directory, $".{Path.GetFileName(target.Real)}.part-{Guid.NewGuid():N}");
        FileStream file;
        try
        {
            if (keep > 0)
            {
                File.Copy(target.Real, temp);
            }
            file = new FileStream(temp, keep > 0 ? FileMode.Open : FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            if (keep > 0)
            {
                file.SetLength(keep);
                file.Seek(keep, SeekOrigin.Begin);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            await ReplyAsync(553, $"{name}: cannot create ({ex.Message}).").ConfigureAwait(false);
            return;
        }
        bool committed = false;
        string opening = kind == StoreKind.Unique ? $"FILE: {Path.GetFileName(target.Real)}" : $"Ok to send data for {name}.";
        BeginTransfer($"{(kind == StoreKind.Append ? "APPE" : kind == StoreKind.Unique ? "STOU" : "STOR")} {target.Virtual}", opening, async (data, ct) =>
        {
            await CopyAsync(data.Stream, file, ct).ConfigureAwait(false);
            await file.FlushAsync(ct).ConfigureAwait(false);
            await data.FinishAsync().ConfigureAwait(false);
            // A client killed mid-upload closes its control connection first (lower descriptor), then the
            // data one: an end of data without a control connection is a cut-off upload, not a complete one.
            if (_controlClosed || (_control.Poll(0, SelectMode.SelectRead) && _control.Available == 0))
            {
                throw new IOException("control connection closed during the upload");
            }
        }, commit: () =>
        {
            file.Dispose();
            File.Move(temp, target.Real, overwrite: kind != StoreKind.Unique);
            committed = true;
        }, cleanup: () =>
        {
            file.Dispose();
            if (!committed)
            {
                File.Delete(temp);
            }
        });
    }

    /// <summary>Runs a transfer in the background: open the data connection, reply 150, move the data,
    /// commit, reply 226; or 425/426/451 with the reason. Logs one line with size and speed.</summary>
    private void BeginTransfer(string description, string openingText, Func<DataConnection, CancellationToken, Task> move,
        Action? commit, Action? cleanup)
    {
        _transferCts?.Dispose();
        _transferCts = CancellationTokenSource.CreateLinkedTokenSource(_sessionCts.Token);
        var token = _transferCts.Token;
        Interlocked.Exchange(ref _transferredBytes, 0);
        _restartOffset = 0;
        _transfer = Task.Run(async () =>
        {
            long started = Stopwatch.GetTimestamp();
            string outcome = "failed";
            try
            {
                int code;
                string text;
                try
                {
                    var socket = await OpenDataConnectionAsync(token).ConfigureAwait(false);
                    await SendReplyAsync(150, openingText).ConfigureAwait(false);
                    await using var data = await SecureDataConnectionAsync(socket, token).ConfigureAwait(false);
                    await move(data, token).ConfigureAwait(false);
                    commit?.Invoke();
                    (code, text, outcome) = (226, "Transfer complete.", "complete");
                }
                catch (DataConnectionException ex)
                {
                    (code, text) = (425, ex.Message);
                }
                catch (OperationCanceledException)
                {
                    (code, text, outcome) = (426, "Connection closed; transfer aborted.", "aborted");
                }
                catch (Exception ex) when (ex is IOException { InnerException: SocketException } or SocketException
                    or System.Security.Authentication.AuthenticationException)
                {
                    (code, text) = (426, $"Connection closed; transfer aborted ({ex.Message}).");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    (code, text) = (451, $"Local error: {ex.Message}");
                }
                cleanup?.Invoke();
                if (!_controlClosed)
                {
                    await SendReplyAsync(code, text).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The control connection is gone; nobody is left to tell.
                cleanup?.Invoke();
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            long bytes = Interlocked.Read(ref _transferredBytes);
            _logger.LogInformation("{Client} {User} transfer {Description} {Outcome}: {Bytes} bytes in {Seconds:F2} s ({Rate} MB/s)",
                _remote, UserForLog, description, outcome, bytes, elapsed.TotalSeconds, FormatRate(bytes, elapsed));
        }, CancellationToken.None);
    }

    private async Task CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _transferredBytes, read);
                Touch();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task AbortTransferAsync(bool sendReply)
    {
        if (TransferRunning)
        {
            await _transferCts!.CancelAsync().ConfigureAwait(false);
            await WaitForTransferAsync().ConfigureAwait(false);
            if (sendReply)
            {
                // RFC 959 ABOR: 426 for the transfer (sent by the transfer), then 226 for ABOR itself.
                await ReplyAsync(226, "ABOR successful.").ConfigureAwait(false);
            }
            return;
        }
        if (sendReply)
        {
            await ReplyAsync(225, "No transfer to abort.").ConfigureAwait(false);
        }
    }

    private async Task WaitForTransferAsync()
    {
        if (_transfer is { } transfer)
        {
            await transfer.ConfigureAwait(false);
        }
    }
}
