import { useEffect, useRef, useState } from "react";

/**
 * A drawn signature, added to a form that works without it: once the page runs JavaScript,
 * a canvas appears; what is drawn there is posted as a PNG data URL in the hidden field
 * `name`, and `onDrawn` tells the form to sign by drawing. Without JavaScript nothing of
 * this renders and the form signs by typed name.
 */
export function SignaturePad({ name, label, id = name, onDrawn }: { name: string; label: string; id?: string; onDrawn?: (drawn: boolean) => void }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [hydrated, setHydrated] = useState(false);
  const [dataUrl, setDataUrl] = useState("");

  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = canvas.clientWidth * ratio;
    canvas.height = canvas.clientHeight * ratio;
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.scale(ratio, ratio);
    ctx.lineWidth = 2;
    ctx.lineCap = "round";
    ctx.strokeStyle = "#1d1b20";
  }, [hydrated]);

  if (!hydrated) return null;

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return [e.clientX - box.left, e.clientY - box.top] as const;
  };
  const start = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const ctx = e.currentTarget.getContext("2d");
    if (!ctx) return;
    drawing.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    ctx.beginPath();
    ctx.moveTo(...point(e));
  };
  const move = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const ctx = e.currentTarget.getContext("2d");
    if (!drawing.current || !ctx) return;
    ctx.lineTo(...point(e));
    ctx.stroke();
  };
  const end = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    drawing.current = false;
    const url = e.currentTarget.toDataURL("image/png");
    setDataUrl(url);
    onDrawn?.(true);
  };
  const clear = () => {
    const canvas = canvasRef.current;
    canvas?.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height);
    setDataUrl("");
    onDrawn?.(false);
  };

  return (
    <div className="field signature-pad">
      <span id={`${id}-label`}>{label}</span>
      <p className="hint" id={`${id}-hint`}>
        Facultatif : dessinez avec le doigt, un stylet ou la souris. Votre nom écrit ci-dessus suffit sinon.
      </p>
      <canvas
        ref={canvasRef}
        role="img"
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-hint`}
        onPointerDown={start}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
      />
      <input type="hidden" name={name} value={dataUrl} />
      <button type="button" className="link-button" onClick={clear}>
        Effacer le dessin
      </button>
    </div>
  );
}
