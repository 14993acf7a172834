(module
 (type $i32_=>_i32 (func (param i32) (result i32)))
 (func $many (param $0 i32) (result i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local.set $1
   (i32.add
    (local.get $0)
    (local.get $1)
   )
  )
  (local.set $2
   (i32.mul
    (local.get $1)
    (i32.const 3)
   )
  )
  (local.set $2
   (i32.add
    (local.get $2)
    (local.get $0)
   )
  )
  (local.set $3
   (i32.xor
    (local.get $2)
    (local.get $1)
   )
  )
  (nop)
  (if
   (i32.and
    (local.get $0)
    (i32.const 1)
   )
   (block
    (local.set $1
     (i32.add
      (local.get $3)
      (local.get $3)
     )
    )
    (nop)
   )
   (block
    (local.set $2
     (i32.sub
      (local.get $3)
      (local.get $2)
     )
    )
    (nop)
   )
  )
  (i32.add
   (i32.mul
    (local.get $1)
    (local.get $2)
   )
   (local.get $0)
  )
 )
 (func $few (param $x i32) (result i32)
  (local $a i32)
  (local $b i32)
  (local $c i32)
  (local $d i32)
  (local $e i32)
  (local $f i32)
  (local.set $a
   (i32.add
    (local.get $x)
    (i32.const 1)
   )
  )
  (local.set $b
   (local.get $a)
  )
  (local.set $c
   (i32.mul
    (local.get $b)
    (local.get $b)
   )
  )
  (local.get $c)
 )
)
