// box2d_bench: a rigid-body simulation with Debian's Box2D 2.4.1 (C++: shapes, contacts and joints
// are class hierarchies dispatched through virtual calls) — a pyramid of boxes, a rain of circles
// and polygons, a chain of revolute joints, stepped at 60 Hz. Box2D is deterministic on one
// thread with the same build; prints a checksum of the final positions.
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "bench_data.h"
#include "box2d/box2d.h"

namespace {
uint32_t rnd() { return bench_rnd(); }  // the generator of real/common/bench_data.h
float frand(float lo, float hi) { return lo + (hi - lo) * static_cast<float>(rnd() % 10000) / 10000.0f; }

struct Counter : b2ContactListener {
  long begins = 0, ends = 0;
  void BeginContact(b2Contact *) override { ++begins; }
  void EndContact(b2Contact *) override { ++ends; }
};
}  // namespace

int main() {
  b2World world(b2Vec2(0.0f, -10.0f));
  Counter counter;
  world.SetContactListener(&counter);

  b2BodyDef groundDef;
  b2Body *ground = world.CreateBody(&groundDef);
  b2EdgeShape floor;
  floor.SetTwoSided(b2Vec2(-60.0f, 0.0f), b2Vec2(60.0f, 0.0f));
  ground->CreateFixture(&floor, 0.0f);
  b2EdgeShape wallL, wallR;
  wallL.SetTwoSided(b2Vec2(-60.0f, 0.0f), b2Vec2(-60.0f, 80.0f));
  wallR.SetTwoSided(b2Vec2(60.0f, 0.0f), b2Vec2(60.0f, 80.0f));
  ground->CreateFixture(&wallL, 0.0f);
  ground->CreateFixture(&wallR, 0.0f);

  // a pyramid of boxes
  b2PolygonShape box;
  box.SetAsBox(0.5f, 0.5f);
  const int rows = 20;
  for (int i = 0; i < rows; ++i)
    for (int j = i; j < rows; ++j) {
      b2BodyDef bd;
      bd.type = b2_dynamicBody;
      bd.position.Set(-20.0f + 1.125f * j - 0.5625f * i, 0.75f + 1.0f * i);
      world.CreateBody(&bd)->CreateFixture(&box, 5.0f);
    }

  // a chain hanging from the ground body
  b2PolygonShape link;
  link.SetAsBox(0.6f, 0.125f);
  b2Body *prev = ground;
  for (int i = 0; i < 30; ++i) {
    b2BodyDef bd;
    bd.type = b2_dynamicBody;
    bd.position.Set(20.5f + i, 40.0f);
    b2Body *body = world.CreateBody(&bd);
    b2FixtureDef fd;
    fd.shape = &link;
    fd.density = 20.0f;
    fd.friction = 0.2f;
    body->CreateFixture(&fd);
    b2RevoluteJointDef jd;
    jd.Initialize(prev, body, b2Vec2(20.0f + i, 40.0f));
    world.CreateJoint(&jd);
    prev = body;
  }

  // rain: circles and random convex polygons, dropped in waves
  b2Vec2 total(0.0f, 0.0f);
  const float dt = 1.0f / 60.0f;
  int bodies = 0;
  for (int step = 0; step < 600; ++step) {
    if (step % 10 == 0 && step < 400) {
      for (int k = 0; k < 6; ++k, ++bodies) {
        b2BodyDef bd;
        bd.type = b2_dynamicBody;
        bd.position.Set(frand(-50.0f, 50.0f), frand(40.0f, 70.0f));
        bd.angle = frand(0.0f, 3.0f);
        b2Body *body = world.CreateBody(&bd);
        if (rnd() % 2) {
          b2CircleShape c;
          c.m_radius = frand(0.3f, 1.0f);
          body->CreateFixture(&c, 1.0f);
        } else {
          b2Vec2 v[6];
          int n = 3 + rnd() % 4;
          for (int i = 0; i < n; ++i) v[i].Set(frand(0.4f, 1.0f) * cosf(6.2831853f * i / n), frand(0.4f, 1.0f) * sinf(6.2831853f * i / n));
          b2PolygonShape p;
          p.Set(v, n);
          body->CreateFixture(&p, 2.0f);
        }
      }
    }
    world.Step(dt, 8, 3);
    if (step % 150 == 149) {
      b2Vec2 sum(0.0f, 0.0f);
      int awake = 0;
      for (b2Body *b = world.GetBodyList(); b; b = b->GetNext()) {
        sum += b->GetPosition();
        awake += b->IsAwake();
      }
      std::printf("step %d: %d bodies, %d awake, %ld contacts begun, position sum (%.3f, %.3f)\n", step + 1, world.GetBodyCount(), awake,
                  counter.begins, sum.x, sum.y);
      total += sum;
    }
  }
  uint64_t h = 1469598103934665603ull;
  for (b2Body *b = world.GetBodyList(); b; b = b->GetNext()) {
    b2Vec2 p = b->GetPosition();
    float a = b->GetAngle();
    unsigned char bytes[12];
    std::memcpy(bytes, &p.x, 4);
    std::memcpy(bytes + 4, &p.y, 4);
    std::memcpy(bytes + 8, &a, 4);
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  }
  std::printf("checksum: %016llx\n", static_cast<unsigned long long>(h));
  return 0;
}
