// The log-mel of dsp-wasm in C with float32 FFTW: a floor to compare dsp-wasm against.
// Same algorithm: reflect pad nFft/2, periodic Hann, r2c FFT, power, sparse Slaney mel rows,
// log10(max(mel, 1e-10)), floor at max - 8, (L + 4) / 4, standardise (mean, std with N - 1).
// Built by log-mel.bench.mjs with gcc -O3 -ffast-math -msse4.2 -mno-avx (the loops here use 128-bit
// SIMD at most, log through glibc's vector logf; FFTW's planner picks its own codelets, printed by
// the bench: on x86 it takes its SSE2 ones for nFft 400).
// Usage: c-logmel <input.f32> <output.f32> <repeats> [sampleRate nFft hop nMels [output]]
// output: "reuse" (default: one output array for every run, as extractInto), "malloc" (a new one per
// run: malloc before it, free after it, glibc defaults, as a C caller of a one-shot call would) or
// "mmap" (fresh pages per run: mmap before it, munmap after it: every page faults, as extract()'s
// new array does when the allocator has returned the previous one to the system).
// Prints: "<median seconds> <median CPU seconds> <frames> <median page faults> <plan>" (CPU: this
// process's CPU time, which a loaded shared machine inflates less than wall time; page faults:
// minor faults of the run).
#include <fftw3.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

static double hz_to_mel(double f) {
  const double f_sp = 200.0 / 3, min_log_hz = 1000.0, min_log_mel = min_log_hz / f_sp;
  const double logstep = log(6.4) / 27.0;
  return f < min_log_hz ? f / f_sp : min_log_mel + log(f / min_log_hz) / logstep;
}

static double mel_to_hz(double m) {
  const double f_sp = 200.0 / 3, min_log_hz = 1000.0, min_log_mel = min_log_hz / f_sp;
  const double logstep = log(6.4) / 27.0;
  return m < min_log_mel ? f_sp * m : min_log_hz * exp(logstep * (m - min_log_mel));
}

static double clock_seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
static double now(void) { return clock_seconds(CLOCK_MONOTONIC); }
static double cpu_now(void) { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

static long minor_faults(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  int repeats = atoi(argv[3]);
  double sr = argc > 4 ? atof(argv[4]) : 16000;
  int n_fft = argc > 5 ? atoi(argv[5]) : 400, hop = argc > 6 ? atoi(argv[6]) : 160;
  int n_mels = argc > 7 ? atoi(argv[7]) : 80;
  const char *mode = argc > 8 ? argv[8] : "reuse";
  int per_run_malloc = strcmp(mode, "malloc") == 0, per_run_mmap = strcmp(mode, "mmap") == 0;
  if (!per_run_malloc && !per_run_mmap && strcmp(mode, "reuse") != 0) return 5;
  FILE *in = fopen(argv[1], "rb");
  if (!in) return 3;
  fseek(in, 0, SEEK_END);
  long n = ftell(in) / 4;
  fseek(in, 0, SEEK_SET);
  float *x = fftwf_malloc(sizeof(float) * n);
  if (fread(x, 4, n, in) != (size_t)n) return 4;
  fclose(in);

  int bins = n_fft / 2 + 1, half = n_fft / 2;
  long frames = n / hop;
  float *window = fftwf_malloc(sizeof(float) * n_fft);
  for (int j = 0; j < n_fft; j++) window[j] = (float)(0.5 - 0.5 * cos(2 * M_PI * j / n_fft));

  // Slaney mel filterbank (librosa defaults: fMin 0, fMax sr / 2), kept sparse: one run per row.
  int *start = malloc(sizeof(int) * n_mels), *len = malloc(sizeof(int) * n_mels);
  float *weights = malloc(sizeof(float) * n_mels * bins);
  double *pts = malloc(sizeof(double) * (n_mels + 2));
  double lo = hz_to_mel(0), hi = hz_to_mel(sr / 2);
  for (int i = 0; i < n_mels + 2; i++) pts[i] = mel_to_hz(lo + (hi - lo) * i / (n_mels + 1));
  int offset = 0;
  for (int m = 0; m < n_mels; m++) {
    start[m] = -1;
    len[m] = 0;
    double enorm = 2.0 / (pts[m + 2] - pts[m]);
    for (int k = 0; k < bins; k++) {
      double f = k * sr / n_fft;
      double lower = (f - pts[m]) / (pts[m + 1] - pts[m]), upper = (pts[m + 2] - f) / (pts[m + 2] - pts[m + 1]);
      double w = fmax(0, fmin(lower, upper)) * enorm;
      if (w > 0) {
        if (start[m] < 0) start[m] = k;
        len[m] = k - start[m] + 1;
      }
    }
    if (start[m] < 0) start[m] = 0;
    for (int k = 0; k < len[m]; k++) {
      double f = (start[m] + k) * sr / n_fft;
      double lower = (f - pts[m]) / (pts[m + 1] - pts[m]), upper = (pts[m + 2] - f) / (pts[m + 2] - pts[m + 1]);
      weights[offset + k] = (float)(fmax(0, fmin(lower, upper)) * enorm);
    }
    offset += len[m];
  }

  float *frame = fftwf_malloc(sizeof(float) * n_fft);
  fftwf_complex *spectrum = fftwf_malloc(sizeof(fftwf_complex) * bins);
  float *power = fftwf_malloc(sizeof(float) * bins);
  float *mel = fftwf_malloc(sizeof(float) * n_mels);
  size_t out_bytes = sizeof(float) * n_mels * (frames > 0 ? frames : 1);
  float *out = per_run_malloc || per_run_mmap ? NULL : fftwf_malloc(out_bytes);
  fftwf_plan plan = fftwf_plan_dft_r2c_1d(n_fft, frame, spectrum, FFTW_MEASURE);
  double *times = malloc(sizeof(double) * (repeats + 1));
  double *cpu_times = malloc(sizeof(double) * (repeats + 1));
  double *fault_counts = malloc(sizeof(double) * (repeats + 1));

  for (int r = 0; r <= repeats; r++) {
    // The last run's output is kept for the file written below.
    if (out && r > 0 && r <= repeats && (per_run_malloc || per_run_mmap)) {
      if (per_run_mmap) munmap(out, out_bytes);
      else free(out);
      out = NULL;
    }
    long f0 = minor_faults();
    double t0 = now(), c0 = cpu_now();
    if (per_run_mmap) {
      out = mmap(NULL, out_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (out == MAP_FAILED) return 6;
    } else if (per_run_malloc) {
      out = malloc(out_bytes);
      if (!out) return 6;
    }
    float max = -10;
    for (long t = 0; t < frames; t++) {
      long first = t * hop - half;
      if (first >= 0 && first + n_fft <= n) {
        for (int j = 0; j < n_fft; j++) frame[j] = x[first + j] * window[j];
      } else {
        for (int j = 0; j < n_fft; j++) {
          long i = first + j;
          if (i < 0) i = -i;
          if (i >= n) i = 2 * (n - 1) - i;
          frame[j] = x[i] * window[j];
        }
      }
      fftwf_execute(plan);
      for (int k = 0; k < bins; k++) power[k] = spectrum[k][0] * spectrum[k][0] + spectrum[k][1] * spectrum[k][1];
      const float *w = weights;
      for (int m = 0; m < n_mels; m++) {
        float acc = 0;
        const float *p = power + start[m];
        for (int k = 0; k < len[m]; k++) acc += w[k] * p[k];
        w += len[m];
        mel[m] = acc > 1e-10f ? acc : 1e-10f;
      }
      // A separate loop, so the compiler can call a vector log (glibc libmvec) on 4 values at once.
      for (int m = 0; m < n_mels; m++) mel[m] = logf(mel[m]) * 0.43429448190325176f;
      for (int m = 0; m < n_mels; m++) {
        if (mel[m] > max) max = mel[m];
        out[m * frames + t] = mel[m];
      }
    }
    long count = n_mels * frames;
    float floor_v = max - 8;
    double sum = 0;
    for (long i = 0; i < count; i++) {
      float v = out[i] < floor_v ? floor_v : out[i];
      v = (v + 4) * 0.25f;
      out[i] = v;
      sum += v;
    }
    double mean = sum / count, sq = 0;
    for (long i = 0; i < count; i++) {
      double d = out[i] - mean;
      sq += d * d;
    }
    double std = sqrt(sq / (count - 1));
    float inv = std > 0 ? (float)(1 / std) : 1, meanf = (float)mean;
    for (long i = 0; i < count; i++) out[i] = (out[i] - meanf) * inv;
    times[r] = now() - t0;
    cpu_times[r] = cpu_now() - c0;
    fault_counts[r] = (double)(minor_faults() - f0);
  }
  // The first run warms caches and pages; the median of the rest is reported.
  qsort(times + 1, repeats, sizeof(double), compare);
  qsort(cpu_times + 1, repeats, sizeof(double), compare);
  qsort(fault_counts + 1, repeats, sizeof(double), compare);
  FILE *o = fopen(argv[2], "wb");
  fwrite(out, 4, n_mels * frames, o);
  fclose(o);
  char *described = fftwf_sprint_plan(plan);
  for (char *c = described; *c; c++)
    if (*c == '\n') *c = ' ';
  printf("%.6f %.6f %ld %.0f %s\n", times[1 + repeats / 2], cpu_times[1 + repeats / 2], frames,
         fault_counts[1 + repeats / 2], described);
  return 0;
}
