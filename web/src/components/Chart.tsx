/**
 * A small ECharts wrapper: only the bar and gauge charts, the grid and tooltip components and the SVG
 * renderer are registered (echarts/core), which keeps the bundle small. Each chart has a text alternative.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, type BarSeriesOption, type GaugeSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GaugeChart, GridComponent, TooltipComponent, SVGRenderer]);

type ChartOption = echarts.ComposeOption<BarSeriesOption | GaugeSeriesOption | GridComponentOption | TooltipComponentOption>;

function useChart(option: ChartOption, height: number) {
  const ref = useRef<HTMLDivElement>(null);
  // Options are rebuilt on every render: redraw only when what they say changes.
  const key = JSON.stringify(option);
  const latest = useRef(option);
  latest.current = option;
  useEffect(() => {
    const option = latest.current;
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'svg', height });
    chart.setOption(option);
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [key, height]);
  return ref;
}

/** Horizontal bars (labels can be long Chinese answers; horizontal reads well at 360 px). */
export function BarChartView({ labels, values, label, summary }: { labels: string[]; values: number[]; label: string; summary: string }) {
  const height = Math.max(120, labels.length * 36 + 40);
  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 120, overflow: 'break' } },
    series: [{ type: 'bar', data: values, barMaxWidth: 24, itemStyle: { color: '#1d5fa8' }, label: { show: true, position: 'right' } }],
  };
  const ref = useChart(option, height);
  return (
    <figure className="chart">
      <div ref={ref} role="img" aria-label={`${label}: ${summary}`} style={{ width: '100%', height }} data-testid="chart" />
    </figure>
  );
}

/** A gauge for a rate between 0 and 1. */
export function GaugeView({ rate, label }: { rate: number; label: string }) {
  const pct = Math.round(rate * 1000) / 10;
  const option: ChartOption = {
    animation: false,
    series: [
      {
        type: 'gauge',
        min: 0,
        max: 100,
        progress: { show: true, width: 12 },
        axisLine: { lineStyle: { width: 12 } },
        axisTick: { show: false },
        splitLine: { length: 8 },
        axisLabel: { distance: 16, fontSize: 10 },
        pointer: { show: false },
        detail: { valueAnimation: false, formatter: '{value}%', fontSize: 20, offsetCenter: [0, '10%'] },
        data: [{ value: pct }],
        itemStyle: { color: '#1d5fa8' },
      },
    ],
  };
  const ref = useChart(option, 180);
  return (
    <figure className="chart">
      <div ref={ref} role="img" aria-label={`${label}: ${pct}%`} style={{ width: '100%', height: 180 }} data-testid="chart" />
    </figure>
  );
}
