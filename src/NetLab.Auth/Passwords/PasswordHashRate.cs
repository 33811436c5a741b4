using System.Diagnostics;

namespace NetLab.Auth.Passwords;

/// <summary>How many PBKDF2 verifications per second this machine can do on all cores: the ceiling for
/// logins per second of any server using the same iteration count.</summary>
public static class PasswordHashRate
{
    public static double Measure(int iterations, TimeSpan duration, int threads)
    {
        string record = PasswordHasher.Hash("benchmark-password", iterations);
        long done = 0;
        long started = Stopwatch.GetTimestamp();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                PasswordHasher.Verify("benchmark-password", record);
                Interlocked.Increment(ref done);
            }
        });
        return done / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
