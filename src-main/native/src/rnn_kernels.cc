// See rnn_kernels.h. Every formula mirrors the TF.js kernels in
// src-main/domain/rnn/kernels/{lstm,gru,elman}-sequence.ts so both paths give equal results.
#include "rnn_kernels.h"

#include "fast_exp.h"

#include <cblas.h>

#include <cmath>
#include <cstdint>
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <cstring>
#include <ctime>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

namespace unfold_rnn {
namespace {

// The gate loops use fast_exp.h's branch-free math and SIMD clones.

// One row of LSTM gates: z (pre-activations, overwritten by i, f, g, o), the previous cell
// state, peepholes (zeros when the cell has none).
UNFOLD_SIMD_CLONES
void lstm_gate_row(int n, float* __restrict zr, const float* __restrict cp,
                   const float* __restrict wic, const float* __restrict wfc,
                   const float* __restrict woc, float* __restrict cn, float* __restrict tc,
                   float* __restrict mm) {
  for (int j = 0; j < n; j++) {
    const float c_prev = cp[j];
    const float i = fast_sigmoid(zr[j] + wic[j] * c_prev);
    const float f = fast_sigmoid(zr[n + j] + wfc[j] * c_prev);
    const float g = fast_tanh(zr[2 * n + j]);
    const float c = f * c_prev + i * g;
    const float o = fast_sigmoid(zr[3 * n + j] + woc[j] * c);
    const float th = fast_tanh(c);
    zr[j] = i;
    zr[n + j] = f;
    zr[2 * n + j] = g;
    zr[3 * n + j] = o;
    cn[j] = c;
    tc[j] = th;
    mm[j] = o * th;
  }
}

// One row of the LSTM backward step: dc_next (in: dLoss/dc_t, out: dLoss/dc_{t-1}), dz out.
UNFOLD_SIMD_CLONES
void lstm_grad_row(int n, float mk, const float* __restrict gr, const float* __restrict cp,
                   const float* __restrict tc, const float* __restrict dm,
                   const float* __restrict wic, const float* __restrict wfc,
                   const float* __restrict woc, float* __restrict dc_next,
                   float* __restrict dzr) {
  const float carry = 1.0f - mk;
  for (int j = 0; j < n; j++) {
    const float i = gr[j], f = gr[n + j], gg = gr[2 * n + j], o = gr[3 * n + j];
    const float th = tc[j];
    const float dmk = dm[j];
    const float dcn = mk * dc_next[j];
    const float dzo = dmk * th * (o * (1.0f - o));
    const float dc = dcn + dmk * o * (1.0f - th * th) + dzo * woc[j];
    const float dzi = dc * gg * (i * (1.0f - i));
    const float dzf = dc * cp[j] * (f * (1.0f - f));
    const float dzg = dc * i * (1.0f - gg * gg);
    dc_next[j] = dc * f + dzi * wic[j] + dzf * wfc[j] + carry * dc_next[j];
    dzr[j] = dzi;
    dzr[n + j] = dzf;
    dzr[2 * n + j] = dzg;
    dzr[3 * n + j] = dzo;
  }
}

UNFOLD_SIMD_CLONES
void sigmoid_in_place(int count, float* __restrict v) {
  for (int j = 0; j < count; j++) v[j] = fast_sigmoid(v[j]);
}

UNFOLD_SIMD_CLONES
void tanh_in_place(int count, float* __restrict v) {
  for (int j = 0; j < count; j++) v[j] = fast_tanh(v[j]);
}

// Row-major C[M,N] = op(A) op(B) + beta C.
void gemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    return;
  }
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
              trans_b ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
}

void column_sums(int rows, int cols, const float* a, float* out) {
  std::memset(out, 0, sizeof(float) * cols);
  for (int i = 0; i < rows; i++) {
    const float* row = a + (size_t)i * cols;
    for (int j = 0; j < cols; j++) out[j] += row[j];
  }
}

std::atomic<int> g_parallel{2};

// One product C = op(A) op(B) + beta C (C first filled with `bias` rows when given): a piece of
// the time-parallel work that either thread may run.
struct Product {
  bool trans_a, trans_b;
  int m, n, k;
  const float* a;
  int lda;
  const float* b;
  int ldb;
  float beta;
  float* c;
  int ldc;
  const float* bias = nullptr;
};

void run_product(const Product& p) {
  if (p.bias) {
    for (int i = 0; i < p.m; i++)
      std::memcpy(p.c + (size_t)i * p.ldc, p.bias, sizeof(float) * p.n);
  }
  gemm(p.trans_a, p.trans_b, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, p.bias ? 1.0f : p.beta, p.c,
       p.ldc);
}

// Splits a product into pieces of disjoint rows or columns of C (the longer side) of at least
// ~2 MFLOP each, at most 4: small enough that the calling thread, which helps with the pieces
// nobody has started, rarely waits long for one a descheduled helper holds.
void split_product(const Product& p, std::vector<Product>& out) {
  const double flops = 2.0 * p.m * p.n * p.k;
  int pieces = (int)std::min(4.0, std::max(1.0, flops / 2e6));
  const bool by_rows = p.m >= p.n;
  const int side = by_rows ? p.m : p.n;
  pieces = std::max(1, std::min(pieces, side / 16));
  for (int q = 0; q < pieces; q++) {
    // Column blocks in multiples of 16 floats keep the pieces' rows aligned.
    const int from = side * q / pieces / 16 * 16, to = q + 1 == pieces ? side : side * (q + 1) / pieces / 16 * 16;
    if (to <= from) continue;
    Product piece = p;
    if (by_rows) {
      piece.m = to - from;
      piece.a = p.trans_a ? p.a + from : p.a + (size_t)from * p.lda;
      piece.c = p.c + (size_t)from * p.ldc;
    } else {
      piece.n = to - from;
      piece.b = p.trans_b ? p.b + (size_t)from * p.ldb : p.b + from;
      piece.c = p.c + from;
      if (p.bias) piece.bias = p.bias + from;
    }
    out.push_back(piece);
  }
}

// A piece of work either thread may run: a product, a chunk of steps of one lane (below).
using Work = std::function<void()>;

// The process's one helper thread. It sleeps on a condition variable (never spins), so when
// another program takes the second core it costs nothing; a kernel call publishes a batch of
// pieces, the helper and the calling thread claim pieces from one atomic counter, and the
// caller, when it needs the results, runs every piece still unclaimed itself and then sleeps
// until the helper finishes the one it holds. A helper that gets no CPU thus never makes a call
// slower than the one-thread path: the caller does the work instead of waiting for it.
class Helper {
 public:
  static Helper& instance() {
    static Helper* helper = new Helper();  // never destroyed: its thread is detached
    return *helper;
  }
  // Only one call at a time uses the helper; others (e.g. from worker_threads) run alone.
  bool try_acquire() { return owner_.try_lock(); }
  void release() { owner_.unlock(); }

  // Publishes a batch; the previous one must be finished. `pieces` lives until finish().
  void publish(const std::vector<Work>* pieces) {
    std::lock_guard<std::mutex> lock(m_);
    pieces_ = pieces;
    done_ = 0;
    generation_++;
    claim_.store((uint64_t)generation_ << 32, std::memory_order_release);
    wake_.notify_one();
  }

  // Runs the unclaimed pieces on the calling thread, then waits (blocking) for the rest.
  void finish() {
    if (!pieces_) return;
    const uint32_t gen = generation_;
    const int total = (int)pieces_->size();
    int mine = 0;
    for (int i; (i = claim(gen, total)) >= 0; mine++) (*pieces_)[i]();
    std::unique_lock<std::mutex> lock(m_);
    done_ += mine;
    finished_.wait(lock, [&] { return done_ >= total; });
    pieces_ = nullptr;
  }

 private:
  Helper() { std::thread([this] { loop(); }).detach(); }

  // The next piece of batch `gen`, or -1 when every piece is taken or the batch is over.
  int claim(uint32_t gen, int total) {
    uint64_t s = claim_.load(std::memory_order_acquire);
    for (;;) {
      if ((uint32_t)(s >> 32) != gen || (int)(uint32_t)s >= total) return -1;
      if (claim_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) return (int)(uint32_t)s;
    }
  }

  void loop() {
    uint32_t seen = 0;
    for (;;) {
      const std::vector<Work>* pieces;
      uint32_t gen;
      int total;
      {
        std::unique_lock<std::mutex> lock(m_);
        wake_.wait(lock, [&] { return generation_ != seen && pieces_ != nullptr; });
        gen = seen = generation_;
        pieces = pieces_;
        total = (int)pieces->size();
      }
      // `pieces` is read only after a successful claim: the caller waits for claimed pieces.
      int ran = 0;
      for (int i; (i = claim(gen, total)) >= 0; ran++) (*pieces)[i]();
      if (ran > 0) {
        std::lock_guard<std::mutex> lock(m_);
        done_ += ran;
        if (done_ >= total) finished_.notify_one();
      }
    }
  }

  std::mutex owner_;
  std::mutex m_;
  std::condition_variable wake_, finished_;
  const std::vector<Work>* pieces_ = nullptr;
  uint32_t generation_ = 0;
  int done_ = 0;
  std::atomic<uint64_t> claim_{0};
};

// Runs the time-parallel products (input projections ahead of the recurrence, weight
// gradients of finished chunks of steps) beside the sequential recurrence on the calling
// thread. Batches run one at a time and in order, so accumulating into the same gradient is
// race-free. With one thread (or the helper busy with another call) every batch runs inline,
// as the same pieces, so both paths give bit-identical results.
class ChunkWorker {
 public:
  ChunkWorker() : helper_(nullptr) {
    if (g_parallel.load() > 1 && Helper::instance().try_acquire()) helper_ = &Helper::instance();
  }
  ChunkWorker(const ChunkWorker&) = delete;
  ChunkWorker& operator=(const ChunkWorker&) = delete;
  ~ChunkWorker() {
    wait();
    if (helper_) helper_->release();
  }
  void submit(const std::vector<Product>& products) {
    wait();
    batch_.clear();
    for (const Product& p : products) split_product(p, batch_);
    if (helper_) {
      work_.clear();
      for (const Product& p : batch_) work_.push_back([&p] { run_product(p); });
      helper_->publish(&work_);
    } else {
      for (const Product& p : batch_) run_product(p);
    }
  }
  void wait() {
    if (helper_) helper_->finish();
  }

 private:
  Helper* helper_;
  std::vector<Product> batch_;
  std::vector<Work> work_;
};


// Steps per chunk: ~512 rows keep the chunked products efficient.
int chunk_steps(int batch) { return std::max(1, 512 / std::max(1, batch)); }

// The input projection of steps [t0, min(t0 + chunk, T)): out (those steps' rows) = x w + bias.
Product projection(const Dims& d, int chunk, int cols, int t0, const float* x, const float* w,
                   const float* bias, float* out) {
  const int rows = std::min(chunk, d.time - t0) * d.batch;
  Product p{false, false, rows, cols, d.input, x + (size_t)t0 * d.batch * d.input, d.input,
            w, cols, 0.0f, out, cols};
  p.bias = bias;
  return p;
}

// Forward over time with the input projection of the next chunk of steps computed beside
// `step(t, z)`, which runs the recurrence of the current chunk on z, step t's rows of
// out [T*B, cols] = x w + bias.
template <typename Step>
void forward_in_chunks(const Dims& d, int cols, const float* x, const float* w, const float* bias,
                       float* out, Step step) {
  const int T = d.time;
  const int chunk = chunk_steps(d.batch);
  const auto rows = [&](int t) { return out + (size_t)t * d.batch * cols; };
  ChunkWorker worker;
  if (T > 0) run_product(projection(d, chunk, cols, 0, x, w, bias, rows(0)));
  for (int t = 0; t < T; t++) {
    if (t % chunk == 0) {
      worker.wait();  // this chunk's projection is done
      if (t + chunk < T)
        worker.submit({projection(d, chunk, cols, t + chunk, x, w, bias, rows(t + chunk))});
    }
    step(t, rows(t));
  }
}

// ---- Inference in lanes ----
// With no gradient to come, a batch's rows are independent all along the sequence. At two
// threads the batch is cut into two lanes of contiguous rows, each run chunk of steps by chunk
// of steps with its own input projection; a round publishes both lanes' next chunk as two
// pieces, so a helper that gets no CPU costs at most one lane-chunk of waiting. Lanes of at
// least 16 rows keep most of a whole batch's product efficiency (on one thread two lanes of 16
// cost 1.16 x one batch of 32). One lane is the whole batch, on the calling thread.

constexpr int kMinLaneRows = 16;

// The rows [row0, row0 + rows) of a batch as one lane: its dims (batch = its rows), its mask,
// and its input projections of a chunk of steps.
struct LaneRows {
  Dims d;
  int full_batch;
  int row0;
  int cols;
  const float* x;  // the caller's [T*B, I]
  std::vector<float> mask;     // [T*rows], empty without a mask
  std::vector<float> x_chunk;  // the lane's rows of a chunk of steps (unused for a whole batch)
  std::vector<float> gates;    // [chunk*rows, cols]

  // Allocates everything here, on the calling thread: run() allocates nothing.
  LaneRows(const Dims& full, int row0_, int rows, int cols_, const float* x_,
           const float* mask_)
      : d(full), full_batch(full.batch), row0(row0_), cols(cols_), x(x_) {
    d.batch = rows;
    const size_t chunk_rows = (size_t)chunk_steps(rows) * rows;
    gates.resize(chunk_rows * cols);
    if (rows != full_batch) x_chunk.resize(chunk_rows * d.input);
    if (mask_) {
      mask.resize((size_t)d.time * rows);
      for (int t = 0; t < d.time; t++)
        std::memcpy(mask.data() + (size_t)t * rows, mask_ + (size_t)t * full_batch + row0,
                    sizeof(float) * rows);
    }
  }
  const float* lane_mask() const { return mask.empty() ? nullptr : mask.data(); }
  // The lane's rows of step t in a caller's [T*B, width] array.
  float* at(float* base, int t, int width) const {
    return base + ((size_t)t * full_batch + row0) * width;
  }
  // gates of steps [t0, t1) = x w + bias; step t's are gate(t, t0).
  void project(int t0, int t1, const float* w, const float* bias) {
    const int rows = d.batch, I = d.input;
    const float* xs = x + (size_t)t0 * full_batch * I;
    if (rows != full_batch) {
      for (int t = t0; t < t1; t++)
        std::memcpy(x_chunk.data() + (size_t)(t - t0) * rows * I,
                    x + ((size_t)t * full_batch + row0) * I, sizeof(float) * rows * I);
      xs = x_chunk.data();
    }
    Product p{false, false, (t1 - t0) * rows, cols, I, xs, I, w, cols, 0.0f, gates.data(), cols};
    p.bias = bias;
    run_product(p);
  }
  float* gate(int t, int t0) { return gates.data() + (size_t)(t - t0) * d.batch * cols; }
};

// Whether two lanes paid off lately, measured rather than assumed: the CPU time both lanes'
// pieces took over the wall time of their rounds. About 2 when the helper has a core, about 1
// when it gets none (the caller then runs both lanes) or only a share of a busy one (the caller
// waits for it): lanes cost ~1.16 x the CPU of one whole-batch lane, so below kLanesPay they
// lose. While they lose, a later call tries them again, so lanes come back when the other core
// frees up: the next call but one after a first loss (most losses are a burst of the process's
// own garbage collection, over within a call or two), then after twice as many calls for each
// loss in a row, up to one call in kLaneProbeMax (a core taken for good costs at most one slow
// call in that many).
constexpr double kLanesPay = 1.3;
constexpr int kLaneProbeMax = 16;
std::atomic<bool> g_lanes_pay{true};
std::atomic<int> g_calls_since_lanes{0};
std::atomic<int> g_lane_probe_every{1};

double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

double wall_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

bool try_lanes() {
  if (g_lanes_pay.load(std::memory_order_relaxed)) return true;
  return g_calls_since_lanes.fetch_add(1, std::memory_order_relaxed) + 1 >=
         g_lane_probe_every.load(std::memory_order_relaxed);
}

// The helper for a call of `rows` rows as two lanes, when lanes may pay and it is free; null
// when the call runs as one lane.
Helper* lanes_helper(int rows) {
  if (g_parallel.load() > 1 && rows >= 2 * kMinLaneRows && try_lanes() &&
      Helper::instance().try_acquire())
    return &Helper::instance();
  return nullptr;
}

// One round of two lanes side by side: first() and second() as the two pieces, each piece's
// thread CPU time added to its lane's cpu[].
template <typename First, typename Second>
void lanes_round(Helper* helper, double cpu[2], First first, Second second) {
  std::vector<Work> pieces(2);
  pieces[0] = [&] {
    const double start = thread_cpu_seconds();
    first();
    cpu[0] += thread_cpu_seconds() - start;
  };
  pieces[1] = [&] {
    const double start = thread_cpu_seconds();
    second();
    cpu[1] += thread_cpu_seconds() - start;
  };
  helper->publish(&pieces);
  helper->finish();
}

// Ends a two-lane call begun at `wall_start`: releases the helper and records whether the
// lanes paid (their CPU over the call's wall time), for the next calls.
void end_lanes(Helper* helper, const double cpu[2], double wall_start) {
  const double wall = wall_seconds() - wall_start;
  helper->release();
  const bool paid = wall > 0.0 && (cpu[0] + cpu[1]) / wall >= kLanesPay;
  g_lanes_pay.store(paid, std::memory_order_relaxed);
  g_lane_probe_every.store(
      paid ? 1 : std::min(kLaneProbeMax, 2 * g_lane_probe_every.load(std::memory_order_relaxed)),
      std::memory_order_relaxed);
  g_calls_since_lanes.store(0, std::memory_order_relaxed);
}

// Runs every chunk of steps of the lanes `make(row0, rows)` builds: each lane's run(t0, t1),
// then its finish().
template <typename Make>
void infer_in_lanes(const Dims& d, Make make) {
  const int T = d.time, B = d.batch;
  Helper* helper = T > 0 ? lanes_helper(B) : nullptr;
  if (!helper) {
    auto lane = make(0, B);
    const int chunk = chunk_steps(B);
    for (int t0 = 0; t0 < T; t0 += chunk) lane.run(t0, std::min(T, t0 + chunk));
    lane.finish();
    return;
  }
  const int half = B / 2;
  auto first = make(0, half);
  auto second = make(half, B - half);
  const int chunk = chunk_steps(B - half);  // the larger lane's: both buffers hold it
  double cpu[2] = {0.0, 0.0};
  const double wall_start = wall_seconds();
  for (int t0 = 0; t0 < T; t0 += chunk) {
    const int t1 = std::min(T, t0 + chunk);
    lanes_round(helper, cpu, [&] { first.run(t0, t1); }, [&] { second.run(t0, t1); });
  }
  end_lanes(helper, cpu, wall_start);
  first.finish();
  second.finish();
}

// BPTT from the last step with `grads(t0, t1, first)` (the products giving the weight
// gradients of the finished steps [t0, t1); `first` = the chunk that starts the sums) beside it.
template <typename Step, typename Grads>
void backward_in_chunks(int T, int B, Step step, Grads grads) {
  const int chunk = chunk_steps(B);
  ChunkWorker worker;
  int chunk_end = T;
  for (int t = T - 1; t >= 0; t--) {
    step(t);
    if ((T - t) % chunk == 0 || t == 0) {
      worker.submit(grads(t, chunk_end, chunk_end == T));
      chunk_end = t;
    }
  }
  worker.wait();
}

}  // namespace

void matmul(bool trans_a, bool trans_b, int m, int n, int k, const float* a, const float* b,
            float* c) {
  gemm(trans_a, trans_b, m, n, k, a, trans_a ? m : k, b, trans_b ? k : n, 0.0f, c, n);
}

void rows_in_lanes(int total, void (*rows)(void* context, int row0, int count), void* context) {
  Helper* helper = lanes_helper(total);
  if (!helper) {
    rows(context, 0, total);
    return;
  }
  const int half = total / 2;
  double cpu[2] = {0.0, 0.0};
  const double wall_start = wall_seconds();
  lanes_round(
      helper, cpu, [&] { rows(context, 0, half); }, [&] { rows(context, half, total - half); });
  end_lanes(helper, cpu, wall_start);
}

void set_parallel(int workers) {
  g_parallel.store(workers < 1 ? 1 : workers);
  g_lanes_pay.store(true);  // a new setting is measured afresh
  g_lane_probe_every.store(1);
}
int get_parallel() { return g_parallel.load(); }

namespace {

inline float mask_at(const float* mask, int t, int batch, int b) {
  return mask ? mask[t * batch + b] : 1.0f;
}

}  // namespace

namespace {

// Where one LSTM step reads and writes (rows of the batch, each [n] or [r]).
struct LstmStep {
  float* z;             // [B, 4n]: the input projection on entry, i f g o after
  const float* h_prev;  // [B, r]
  float* h_next;
  const float* c_prev;  // [B, n]
  float* c_next;
  float* cn;            // [B, n]: unmasked new cell state
  float* tc;            // [B, n]: its tanh
  float* mm;            // [B, n]: o * tanh(c)
};

// Peepholes, or zeros when the cell has none: the row functions multiply by zeros, cheaper than
// a branch per element.
struct Peepholes {
  std::vector<float> zeros;
  const float* wic;
  const float* wfc;
  const float* woc;
  Peepholes(const float* peep, int n) : zeros(peep ? 0 : (size_t)3 * n, 0.0f) {
    const float* p = peep ? peep : zeros.data();
    wic = p;
    wfc = p + n;
    woc = p + 2 * n;
  }
};

// One step of the LSTM family on every row; r_new [B, r] is scratch for the projection.
void lstm_step(const Dims& d, const LstmWeights& wt, const Peepholes& peep, const float* mask,
               int t, const LstmStep& s, float* r_new) {
  const int B = d.batch, n = d.units, r = d.output, G = 4 * n;
  gemm(false, false, B, G, r, s.h_prev, r, wt.u, G, 1.0f, s.z, G);
  for (int b = 0; b < B; b++) {
    const size_t k = (size_t)b * n;
    lstm_gate_row(n, s.z + (size_t)b * G, s.c_prev + k, peep.wic, peep.wfc, peep.woc, s.cn + k,
                  s.tc + k, s.mm + k);
  }
  const float* rn = s.mm;
  if (wt.proj) {
    gemm(false, false, B, r, n, s.mm, n, wt.proj, r, 0.0f, r_new, r);
    rn = r_new;
  }
  for (int b = 0; b < B; b++) {
    const float mk = mask_at(mask, t, B, b);
    for (int k = 0; k < r; k++) {
      const size_t q = (size_t)b * r + k;
      s.h_next[q] = mask ? s.h_prev[q] + mk * (rn[q] - s.h_prev[q]) : rn[q];
    }
    for (int j = 0; j < n; j++) {
      const size_t q = (size_t)b * n + j;
      s.c_next[q] = mask ? s.c_prev[q] + mk * (s.cn[q] - s.c_prev[q]) : s.cn[q];
    }
  }
}

}  // namespace

void lstm_forward(const Dims& d, const float* x, const LstmWeights& wt, const float* h0,
                  const float* c0, const float* mask, LstmCache& cache) {
  const int B = d.batch, n = d.units, r = d.output, G = 4 * n;
  std::memcpy(cache.cells, c0, sizeof(float) * B * n);
  std::memcpy(cache.h, h0, sizeof(float) * B * r);
  std::vector<float> m_scratch(wt.proj ? 0 : (size_t)B * n);
  std::vector<float> r_new((size_t)B * r);
  const Peepholes peep(wt.peep, n);
  forward_in_chunks(d, G, x, wt.w, wt.b, cache.gates, [&](int t, float* z) {
    const size_t bn = (size_t)t * B * n;
    lstm_step(d, wt, peep, mask, t,
              {z, cache.h + (size_t)t * B * r, cache.h + (size_t)(t + 1) * B * r,
               cache.cells + bn, cache.cells + bn + (size_t)B * n, cache.cnew + bn,
               cache.tanhc + bn, wt.proj ? cache.m + bn : m_scratch.data()},
              r_new.data());
  });
}

void lstm_infer(const Dims& d, const float* x, const LstmWeights& wt, const float* h0,
                const float* c0, const float* mask, float* out, float* c_final) {
  const int n = d.units, r = d.output;
  const Peepholes peep(wt.peep, n);
  struct Lane {
    LaneRows rows;
    const LstmWeights& wt;
    const Peepholes& peep;
    const float* h0;  // the lane's rows
    float* out;
    float* c_final;  // the lane's rows
    // Two cell states (the step's previous and next, swapped each step), then cn, tc, mm, r_new.
    std::vector<float> scratch;
    void run(int t0, int t1) {
      const Dims& ld = rows.d;
      const size_t Bn = (size_t)ld.batch * ld.units;
      float* cells[2] = {scratch.data(), scratch.data() + Bn};
      rows.project(t0, t1, wt.w, wt.b);
      for (int t = t0; t < t1; t++)
        lstm_step(ld, wt, peep, rows.lane_mask(), t,
                  {rows.gate(t, t0), t == 0 ? h0 : rows.at(out, t - 1, ld.output),
                   rows.at(out, t, ld.output), cells[t % 2], cells[(t + 1) % 2],
                   scratch.data() + 2 * Bn, scratch.data() + 3 * Bn, scratch.data() + 4 * Bn},
                  scratch.data() + 5 * Bn);
    }
    void finish() {
      const size_t Bn = (size_t)rows.d.batch * rows.d.units;
      std::memcpy(c_final, scratch.data() + (rows.d.time % 2) * Bn, sizeof(float) * Bn);
    }
  };
  infer_in_lanes(d, [&](int row0, int count) {
    Lane lane{LaneRows(d, row0, count, 4 * n, x, mask), wt, peep, h0 + (size_t)row0 * r, out,
              c_final + (size_t)row0 * n,
              std::vector<float>((size_t)count * (5 * n + r))};
    std::memcpy(lane.scratch.data(), c0 + (size_t)row0 * n, sizeof(float) * count * n);
    return lane;
  });
}

void lstm_backward(const Dims& d, const float* x, const LstmWeights& wt, const float* mask,
                   const LstmCache& cache, const float* dout, const float* dcfinal,
                   LstmGrads& g) {
  const int T = d.time, B = d.batch, n = d.units, r = d.output, G = 4 * n, TB = T * B;
  std::vector<float> dz((size_t)TB * G);
  std::vector<float> dr_new_all(wt.proj ? (size_t)TB * r : (size_t)B * r);
  std::vector<float> dm(wt.proj ? (size_t)B * n : 0);
  std::vector<float> carry((size_t)B * r);
  float* dr_next = g.dh0;  // walks back to dLoss/dh0
  float* dc_next = g.dc0;  // walks back to dLoss/dc0
  std::memset(dr_next, 0, sizeof(float) * B * r);
  if (dcfinal)
    std::memcpy(dc_next, dcfinal, sizeof(float) * B * n);
  else
    std::memset(dc_next, 0, sizeof(float) * B * n);
  const std::vector<float> zeros(wt.peep ? 0 : (size_t)3 * n, 0.0f);
  const float* peep = wt.peep ? wt.peep : zeros.data();
  const float* wic = peep;
  const float* wfc = peep + n;
  const float* woc = peep + 2 * n;
  const int chunk = chunk_steps(B);
  ChunkWorker worker;
  // Products over the rows of finished steps [t0, t1): dW, dU (and dP) accumulate, dx is per row.
  auto weight_grads = [&](int t0, int t1) {
    const int rows = (t1 - t0) * B;
    const size_t r0 = (size_t)t0 * B;
    const float beta = t1 == T ? 0.0f : 1.0f;
    const float* dzc = dz.data() + r0 * G;
    std::vector<Product> products{
        {true, false, d.input, G, rows, x + r0 * d.input, d.input, dzc, G, beta, g.dw, G},
        {true, false, r, G, rows, cache.h + r0 * r, r, dzc, G, beta, g.du, G},
        {false, true, rows, d.input, G, dzc, G, wt.w, G, 0.0f, g.dx + r0 * d.input, d.input}};
    if (wt.proj)
      products.push_back({true, false, n, r, rows, cache.m + r0 * n, n,
                          dr_new_all.data() + r0 * r, r, beta, g.dproj, r});
    return products;
  };
  int chunk_end = T;
  for (int t = T - 1; t >= 0; t--) {
    float* dr_new = wt.proj ? dr_new_all.data() + (size_t)t * B * r : dr_new_all.data();
    for (int b = 0; b < B; b++) {
      const float mk = mask_at(mask, t, B, b);
      for (int k = 0; k < r; k++) {
        const size_t q = (size_t)b * r + k;
        const float dr = dout[(size_t)t * B * r + q] + dr_next[q];
        dr_new[q] = mask ? mk * dr : dr;
        carry[q] = mask ? (1.0f - mk) * dr : 0.0f;
      }
    }
    const float* dmv = dr_new;
    if (wt.proj) {
      gemm(false, true, B, n, r, dr_new, r, wt.proj, r, 0.0f, dm.data(), n);
      dmv = dm.data();
    }
    const float* gt = cache.gates + (size_t)t * B * G;
    const float* c_prev = cache.cells + (size_t)t * B * n;
    const float* tc = cache.tanhc + (size_t)t * B * n;
    float* dzt = dz.data() + (size_t)t * B * G;
    for (int b = 0; b < B; b++) {
      const size_t k = (size_t)b * n;
      lstm_grad_row(n, mask_at(mask, t, B, b), gt + (size_t)b * G, c_prev + k, tc + k, dmv + k,
                    wic, wfc, woc, dc_next + k, dzt + (size_t)b * G);
    }
    gemm(false, true, B, r, G, dzt, G, wt.u, G, 0.0f, dr_next, r);
    if (mask)
      for (int q = 0; q < B * r; q++) dr_next[q] += carry[q];
    if ((T - t) % chunk == 0 || t == 0) {
      worker.submit(weight_grads(t, chunk_end));
      chunk_end = t;
    }
  }
  worker.wait();
  column_sums(TB, G, dz.data(), g.db);
  if (wt.peep) {
    std::memset(g.dpeep, 0, sizeof(float) * 3 * n);
    for (int q = 0; q < TB; q++) {
      const float* dzr = dz.data() + (size_t)q * G;
      const float* cp = cache.cells + (size_t)q * n;
      const float* cn = cache.cnew + (size_t)q * n;
      for (int j = 0; j < n; j++) {
        g.dpeep[j] += dzr[j] * cp[j];
        g.dpeep[n + j] += dzr[n + j] * cp[j];
        g.dpeep[2 * n + j] += dzr[3 * n + j] * cn[j];
      }
    }
  }
}

namespace {

// One GRU step on every row: z [B, 3n] holds the input projection on entry and z, r, hh after;
// a [B, n] gets r * h_{t-1}.
void gru_step(const Dims& d, const float* u, const float* mask, int t, float* z, const float* hp,
              float* hn, float* a) {
  const int B = d.batch, n = d.units, G = 3 * n;
  // z and r: the first 2n columns of U (row stride 3n, no copy).
  gemm(false, false, B, 2 * n, n, hp, n, u, G, 1.0f, z, G);
  for (int bb = 0; bb < B; bb++) {
    float* zr = z + (size_t)bb * G;
    sigmoid_in_place(2 * n, zr);
    for (int j = 0; j < n; j++) a[(size_t)bb * n + j] = zr[n + j] * hp[(size_t)bb * n + j];
  }
  gemm(false, false, B, n, n, a, n, u + 2 * n, G, 1.0f, z + 2 * n, G);
  for (int bb = 0; bb < B; bb++) {
    const float mk = mask_at(mask, t, B, bb);
    float* zr = z + (size_t)bb * G;
    tanh_in_place(n, zr + 2 * n);
    for (int j = 0; j < n; j++) {
      const size_t k = (size_t)bb * n + j;
      const float hh = zr[2 * n + j];
      const float h_new = hh + zr[j] * (hp[k] - hh);
      hn[k] = mask ? hp[k] + mk * (h_new - hp[k]) : h_new;
    }
  }
}

}  // namespace

void gru_forward(const Dims& d, const float* x, const float* w, const float* u, const float* b,
                 const float* h0, const float* mask, GruCache& cache) {
  const int B = d.batch, n = d.units;
  const size_t Bn = (size_t)B * n;
  std::memcpy(cache.h, h0, sizeof(float) * Bn);
  forward_in_chunks(d, 3 * n, x, w, b, cache.gates, [&](int t, float* z) {
    gru_step(d, u, mask, t, z, cache.h + t * Bn, cache.h + (t + 1) * Bn, cache.a + t * Bn);
  });
}

void gru_infer(const Dims& d, const float* x, const float* w, const float* u, const float* b,
               const float* h0, const float* mask, float* out) {
  const int n = d.units;
  struct Lane {
    LaneRows rows;
    const float *w, *u, *b, *h0;
    float* out;
    std::vector<float> a;  // r * h_{t-1}
    void run(int t0, int t1) {
      rows.project(t0, t1, w, b);
      for (int t = t0; t < t1; t++)
        gru_step(rows.d, u, rows.lane_mask(), t, rows.gate(t, t0),
                 t == 0 ? h0 : rows.at(out, t - 1, rows.d.units), rows.at(out, t, rows.d.units),
                 a.data());
    }
    void finish() {}
  };
  infer_in_lanes(d, [&](int row0, int count) {
    return Lane{LaneRows(d, row0, count, 3 * n, x, mask), w, u, b, h0 + (size_t)row0 * n, out,
                std::vector<float>((size_t)count * n)};
  });
}

void gru_backward(const Dims& d, const float* x, const float* w, const float* u,
                  const float* mask, const GruCache& cache, const float* dout, PlainGrads& g) {
  const int T = d.time, B = d.batch, n = d.units, G = 3 * n, TB = T * B;
  std::vector<float> dz((size_t)TB * G);
  std::vector<float> dh_new((size_t)B * n), carry((size_t)B * n), da((size_t)B * n);
  float* dh_next = g.dh0;
  std::memset(dh_next, 0, sizeof(float) * B * n);
  auto step = [&](int t) {
    const float* gt = cache.gates + (size_t)t * B * G;
    const float* hp = cache.h + (size_t)t * B * n;
    float* dzt = dz.data() + (size_t)t * B * G;
    for (int b = 0; b < B; b++) {
      const float mk = mask_at(mask, t, B, b);
      const float* gr = gt + (size_t)b * G;
      float* dzr = dzt + (size_t)b * G;
      for (int j = 0; j < n; j++) {
        const size_t k = (size_t)b * n + j;
        const float dh = dout[(size_t)t * B * n + k] + dh_next[k];
        const float dhn = mk * dh;
        dh_new[k] = dhn;
        carry[k] = (1.0f - mk) * dh;
        const float zz = gr[j], hh = gr[2 * n + j];
        const float dzv = dhn * (hp[k] - hh);
        dzr[j] = dzv * (zz * (1.0f - zz));
        dzr[2 * n + j] = dhn * (1.0f - zz) * (1.0f - hh * hh);
      }
    }
    gemm(false, true, B, n, n, dzt + 2 * n, G, u + 2 * n, G, 0.0f, da.data(), n);
    for (int b = 0; b < B; b++) {
      const float* gr = gt + (size_t)b * G;
      float* dzr = dzt + (size_t)b * G;
      for (int j = 0; j < n; j++) {
        const size_t k = (size_t)b * n + j;
        const float rr = gr[n + j];
        dzr[n + j] = da[k] * hp[k] * (rr * (1.0f - rr));
        dh_next[k] = dh_new[k] * gr[j] + da[k] * rr + carry[k];
      }
    }
    gemm(false, true, B, n, 2 * n, dzt, G, u, G, 1.0f, dh_next, n);
  };
  auto grads = [&](int t0, int t1, bool first) {
    const int rows = (t1 - t0) * B;
    const size_t r0 = (size_t)t0 * B;
    const float beta = first ? 0.0f : 1.0f;
    const float* dzc = dz.data() + r0 * G;
    return std::vector<Product>{
        {true, false, d.input, G, rows, x + r0 * d.input, d.input, dzc, G, beta, g.dw, G},
        {true, false, n, 2 * n, rows, cache.h + r0 * n, n, dzc, G, beta, g.du, G},
        {true, false, n, n, rows, cache.a + r0 * n, n, dzc + 2 * n, G, beta, g.du + 2 * n, G},
        {false, true, rows, d.input, G, dzc, G, w, G, 0.0f, g.dx + r0 * d.input, d.input}};
  };
  backward_in_chunks(T, B, step, grads);
  column_sums(TB, G, dz.data(), g.db);
}

namespace {

// One Elman step on every row: z [B, n] holds the input projection on entry, the activation after.
void elman_step(const Dims& d, bool sig, const float* u, const float* mask, int t, float* z,
                const float* hp, float* hn) {
  const int B = d.batch, n = d.units;
  gemm(false, false, B, n, n, hp, n, u, n, 1.0f, z, n);
  // Row by row, as the gates: a row's values then meet the same vector lanes whichever rows
  // the call holds (a lane of the batch gives bit-identical results).
  for (int bb = 0; bb < B; bb++) {
    if (sig)
      sigmoid_in_place(n, z + (size_t)bb * n);
    else
      tanh_in_place(n, z + (size_t)bb * n);
  }
  for (int bb = 0; bb < B; bb++) {
    const float mk = mask_at(mask, t, B, bb);
    for (int j = 0; j < n; j++) {
      const size_t k = (size_t)bb * n + j;
      const float v = z[k];
      hn[k] = mask ? hp[k] + mk * (v - hp[k]) : v;
    }
  }
}

}  // namespace

void elman_forward(const Dims& d, bool sig, const float* x, const float* w, const float* u,
                   const float* b, const float* h0, const float* mask, ElmanCache& cache) {
  const int B = d.batch, n = d.units;
  const size_t Bn = (size_t)B * n;
  std::memcpy(cache.h, h0, sizeof(float) * Bn);
  forward_in_chunks(d, n, x, w, b, cache.hnew, [&](int t, float* z) {
    elman_step(d, sig, u, mask, t, z, cache.h + t * Bn, cache.h + (t + 1) * Bn);
  });
}

void elman_infer(const Dims& d, bool sig, const float* x, const float* w, const float* u,
                 const float* b, const float* h0, const float* mask, float* out) {
  const int n = d.units;
  struct Lane {
    LaneRows rows;
    bool sig;
    const float *w, *u, *b, *h0;
    float* out;
    void run(int t0, int t1) {
      rows.project(t0, t1, w, b);
      for (int t = t0; t < t1; t++)
        elman_step(rows.d, sig, u, rows.lane_mask(), t, rows.gate(t, t0),
                   t == 0 ? h0 : rows.at(out, t - 1, rows.d.units), rows.at(out, t, rows.d.units));
    }
    void finish() {}
  };
  infer_in_lanes(d, [&](int row0, int count) {
    return Lane{LaneRows(d, row0, count, n, x, mask), sig, w, u, b, h0 + (size_t)row0 * n, out};
  });
}

void elman_backward(const Dims& d, bool sig, const float* x, const float* w, const float* u,
                    const float* mask, const ElmanCache& cache, const float* dout,
                    PlainGrads& g) {
  const int T = d.time, B = d.batch, n = d.units, TB = T * B;
  std::vector<float> dp((size_t)TB * n), carry((size_t)B * n);
  float* dh_next = g.dh0;
  std::memset(dh_next, 0, sizeof(float) * B * n);
  auto step = [&](int t) {
    const float* hv = cache.hnew + (size_t)t * B * n;
    float* dpt = dp.data() + (size_t)t * B * n;
    for (int b = 0; b < B; b++) {
      const float mk = mask_at(mask, t, B, b);
      for (int j = 0; j < n; j++) {
        const size_t k = (size_t)b * n + j;
        const float dh = dout[(size_t)t * B * n + k] + dh_next[k];
        carry[k] = (1.0f - mk) * dh;
        const float v = hv[k];
        dpt[k] = mk * dh * (sig ? v * (1.0f - v) : 1.0f - v * v);
      }
    }
    gemm(false, true, B, n, n, dpt, n, u, n, 0.0f, dh_next, n);
    if (mask)
      for (int k = 0; k < B * n; k++) dh_next[k] += carry[k];
  };
  auto grads = [&](int t0, int t1, bool first) {
    const int rows = (t1 - t0) * B;
    const size_t r0 = (size_t)t0 * B;
    const float beta = first ? 0.0f : 1.0f;
    const float* dpc = dp.data() + r0 * n;
    return std::vector<Product>{
        {true, false, d.input, n, rows, x + r0 * d.input, d.input, dpc, n, beta, g.dw, n},
        {true, false, n, n, rows, cache.h + r0 * n, n, dpc, n, beta, g.du, n},
        {false, true, rows, d.input, n, dpc, n, w, n, 0.0f, g.dx + r0 * d.input, d.input}};
  };
  backward_in_chunks(T, B, step, grads);
  column_sums(TB, n, dp.data(), g.db);
}

// ---- Streaming, batch 1 ----

namespace {

// y [cols] += h [rows] a [rows, cols] (row stride lda): U^T h as one matrix-vector product.
void add_vector_product(int rows, int cols, const float* h, const float* a, int lda, float* y) {
  if (rows == 0 || cols == 0) return;
  cblas_sgemv(CblasRowMajor, CblasTrans, rows, cols, 1.0f, a, lda, h, 1, 1.0f, y, 1);
}

}  // namespace

void affine_rows(int rows, int in, int cols, const float* x, const float* w, const float* bias,
                 float* out) {
  for (int i = 0; i < rows; i++) std::memcpy(out + (size_t)i * cols, bias, sizeof(float) * cols);
  if (rows == 1)
    add_vector_product(in, cols, x, w, cols, out);
  else
    gemm(false, false, rows, cols, in, x, in, w, cols, 1.0f, out, cols);
}

void lstm_stream_step(int n, int r, const float* u, const float* peep, const float* proj,
                      float* z, float* h, float* c, float* scratch) {
  add_vector_product(r, 4 * n, h, u, 4 * n, z);
  float* cn = scratch;
  float* tc = scratch + n;
  float* mm = scratch + 2 * n;
  static thread_local std::vector<float> zeros;
  if (!peep) {
    if (zeros.size() < (size_t)3 * n) zeros.assign((size_t)3 * n, 0.0f);
    peep = zeros.data();
  }
  lstm_gate_row(n, z, c, peep, peep + n, peep + 2 * n, cn, tc, mm);
  std::memcpy(c, cn, sizeof(float) * n);
  if (proj) {
    std::memset(h, 0, sizeof(float) * r);
    add_vector_product(n, r, mm, proj, r, h);
  } else {
    std::memcpy(h, mm, sizeof(float) * n);
  }
}

void gru_stream_step(int n, const float* u, float* z, float* h, float* scratch) {
  const int G = 3 * n;
  add_vector_product(n, 2 * n, h, u, G, z);  // z and r columns
  sigmoid_in_place(2 * n, z);
  for (int j = 0; j < n; j++) scratch[j] = z[n + j] * h[j];
  add_vector_product(n, n, scratch, u + 2 * n, G, z + 2 * n);
  tanh_in_place(n, z + 2 * n);
  for (int j = 0; j < n; j++) {
    const float hh = z[2 * n + j];
    h[j] = hh + z[j] * (h[j] - hh);
  }
}

void elman_stream_step(int n, bool sig, const float* u, float* z, float* h) {
  add_vector_product(n, n, h, u, n, z);
  if (sig)
    sigmoid_in_place(n, z);
  else
    tanh_in_place(n, z);
  std::memcpy(h, z, sizeof(float) * n);
}

}  // namespace unfold_rnn
