/* nbody_fp.c - floating point: a double-precision n-body simulation and a
 * single-precision (float) Mandelbrot set; values printed with %.6f and %a. */
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body { double x, y, z, vx, vy, vz, mass; };

static struct body bodies[5] = {
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
     -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
     2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
     -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
     -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS}};

static void offset_momentum(void) {
  double px = 0, py = 0, pz = 0;
  for (int i = 0; i < 5; i++) {
    px += bodies[i].vx * bodies[i].mass;
    py += bodies[i].vy * bodies[i].mass;
    pz += bodies[i].vz * bodies[i].mass;
  }
  bodies[0].vx = -px / SOLAR_MASS;
  bodies[0].vy = -py / SOLAR_MASS;
  bodies[0].vz = -pz / SOLAR_MASS;
}

static double energy(void) {
  double e = 0.0;
  for (int i = 0; i < 5; i++) {
    struct body *b = &bodies[i];
    e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
    for (int j = i + 1; j < 5; j++) {
      struct body *c = &bodies[j];
      double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
      e -= b->mass * c->mass / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static void advance(double dt) {
  for (int i = 0; i < 5; i++) {
    struct body *b = &bodies[i];
    for (int j = i + 1; j < 5; j++) {
      struct body *c = &bodies[j];
      double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      b->vx -= dx * c->mass * mag; b->vy -= dy * c->mass * mag; b->vz -= dz * c->mass * mag;
      c->vx += dx * b->mass * mag; c->vy += dy * b->mass * mag; c->vz += dz * b->mass * mag;
    }
  }
  for (int i = 0; i < 5; i++) {
    bodies[i].x += dt * bodies[i].vx;
    bodies[i].y += dt * bodies[i].vy;
    bodies[i].z += dt * bodies[i].vz;
  }
}

/* float Mandelbrot over a small grid; returns total iterations */
static uint32_t mandel_row(float cy, int width, float x0, float x1, int maxit,
                           char *row, float *last_mag) {
  uint32_t total = 0;
  for (int px = 0; px < width; px++) {
    float cx = x0 + (x1 - x0) * (float)px / (float)width;
    float zx = 0.0f, zy = 0.0f;
    int it = 0;
    while (it < maxit && zx * zx + zy * zy <= 4.0f) {
      float t = zx * zx - zy * zy + cx;
      zy = 2.0f * zx * zy + cy;
      zx = t;
      it++;
    }
    *last_mag = zx * zx + zy * zy;
    total += (uint32_t)it;
    row[px] = it >= maxit ? '@' : " .:-=+*#%"[it % 9];
  }
  row[width] = 0;
  return total;
}

int main(void) {
  uint64_t check = 0;
  offset_momentum();
  printf("nbody initial energy %.9f\n", energy());
  for (int block = 0; block < 12; block++) {
    for (int s = 0; s < 4000; s++) advance(0.01);
    double e = energy();
    uint64_t bits;
    memcpy(&bits, &e, sizeof bits);
    check = check * 1000003u ^ bits;
    printf("after %5d steps: energy %.9f  x1=%.6f  e=%a\n", (block + 1) * 4000, e,
           bodies[1].x, e);
  }

  const int W = 60, H = 24, MAXIT = 200;
  char row[61];
  uint32_t iters = 0;
  for (int py = 0; py < H; py++) {
    float cy = -1.2f + 2.4f * (float)py / (float)H, mag = 0.0f;
    iters += mandel_row(cy, W, -2.1f, 0.9f, MAXIT, row, &mag);
    uint32_t mbits;
    memcpy(&mbits, &mag, sizeof mbits);
    check = check * 31u + mbits;
    if (py % 3 == 0) printf("|%s| %a\n", row, (double)mag);
  }
  float f = 1.0f;
  for (int i = 0; i < 50; i++) f = f * 1.1f + 0.1f / (float)(i + 1);
  printf("mandelbrot iterations %u, float series %.6f (%a)\n", iters, (double)f, (double)f);
  printf("checksum: %016llx\n", (unsigned long long)(check ^ iters));
  return 0;
}
