using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace NetLab.Testing;

/// <summary>A long-running process (a server, a client that stays up) that the test started and
/// ends by its own PID on dispose. Output is collected line by line and can be waited on.</summary>
public sealed class BackgroundProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineArrived = new(0);
    private bool _disposed;

    public BackgroundProcess(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        CommandLine = $"{file} {string.Join(' ', args)}";
    }

    public string CommandLine { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public StreamWriter StandardInput => _process.StandardInput;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits until a line of output matches, or throws with everything printed so far.</summary>
    public string WaitForLine(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern);
        var deadline = DateTime.UtcNow + timeout;
        foreach (string line in _lines)
        {
            if (regex.IsMatch(line))
            {
                return line;
            }
        }
        int seen = _lines.Count;
        while (DateTime.UtcNow < deadline)
        {
            _lineArrived.Wait(TimeSpan.FromMilliseconds(100));
            var lines = _lines.ToArray();
            for (; seen < lines.Length; seen++)
            {
                if (regex.IsMatch(lines[seen]))
                {
                    return lines[seen];
                }
            }
            if (_process.HasExited && _lines.Count == seen)
            {
                _process.WaitForExit();
                if (_lines.Count == seen)
                {
                    break;
                }
            }
        }
        throw new TimeoutException($"no line matching /{pattern}/ from `{CommandLine}` within {timeout}; output:\n{Output}");
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        _process.WaitForExit();
        return true;
    }

    /// <summary>Sends a signal (SIGTERM by default) to this process only.</summary>
    public void Signal(int signal = 15) => _ = Kill(_process.Id, signal);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Signal(15);
                if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        // Output of a killed process can still be in flight on a thread-pool thread: Add checks this flag
        // under the same lock, so it never touches the semaphore after it is disposed.
        lock (_output)
        {
            _disposed = true;
            _lineArrived.Dispose();
        }
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            if (_disposed)
            {
                return;
            }
            _output.AppendLine(line);
            _lines.Enqueue(line);
            _lineArrived.Release();
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
