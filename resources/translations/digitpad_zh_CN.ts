<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>Actions</name>
        <message>
            <source>&amp;Thin</source>
            <translation>细(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Medium</source>
            <translation>中等(&amp;M)</translation>
        </message>
        <message>
            <source>T&amp;hick</source>
            <translation>粗(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;Open Image…</source>
            <translation>打开图像(&amp;O)…</translation>
        </message>
        <message>
            <source>Show a digit image and read it</source>
            <translation>显示一张数字图像并识别它</translation>
        </message>
        <message>
            <source>&amp;Save Drawing…</source>
            <translation>保存绘图(&amp;S)…</translation>
        </message>
        <message>
            <source>Save the drawing as a PNG image</source>
            <translation>将绘图保存为 PNG 图像</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>撤销(&amp;U)</translation>
        </message>
        <message>
            <source>Undo the last stroke, clear or open (Ctrl+Z)</source>
            <translation>撤销最后一个笔画、清除或打开（Ctrl+Z）</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>重做(&amp;R)</translation>
        </message>
        <message>
            <source>Redo what was undone (Ctrl+Shift+Z)</source>
            <translation>重做刚才撤销的操作（Ctrl+Shift+Z）</translation>
        </message>
        <message>
            <source>&amp;Clear</source>
            <translation>清除(&amp;C)</translation>
        </message>
        <message>
            <source>Clear the drawing (Esc)</source>
            <translation>清除绘图（Esc）</translation>
        </message>
        <message>
            <source>&amp;Dark Ink on Light Paper</source>
            <translation>浅色纸面上的深色墨迹(&amp;D)</translation>
        </message>
        <message>
            <source>&amp;Saliency Overlay</source>
            <translation>显著性图叠加(&amp;S)</translation>
        </message>
        <message>
            <source>Colour the ink by how it pushed the prediction: orange raised the digit read, blue lowered it</source>
            <translation>按墨迹对预测的影响给墨迹着色：橙色提高了所识别数字的概率，蓝色降低了它</translation>
        </message>
        <message>
            <source>&amp;Retrain…</source>
            <translation>重新训练(&amp;R)…</translation>
        </message>
        <message>
            <source>Train a new network on MNIST</source>
            <translation>在 MNIST 上训练一个新网络</translation>
        </message>
        <message>
            <source>&amp;Cancel Training</source>
            <translation>取消训练(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Adapt to My Handwriting…</source>
            <translation>适应我的笔迹(&amp;A)…</translation>
        </message>
        <message>
            <source>Fine-tune the network on the drawings you corrected (keys 0-9 or a click on a bar keep them)</source>
            <translation>用你纠正过的手写数字微调网络（按 0-9 键或点击一个概率条即可保存纠正）</translation>
        </message>
        <message>
            <source>My &amp;Digits…</source>
            <translation>我的数字(&amp;D)…</translation>
        </message>
        <message>
            <source>The drawings you corrected, per digit</source>
            <translation>你纠正过的手写数字，按数字分组</translation>
        </message>
        <message>
            <source>Use &amp;Base Network</source>
            <translation>使用基础网络(&amp;B)</translation>
        </message>
        <message>
            <source>Read with the network trained on MNIST and the bundled pen digits</source>
            <translation>用在 MNIST 和附带的笔写数字上训练的网络识别</translation>
        </message>
        <message>
            <source>Use My &amp;Personal Network</source>
            <translation>使用我的个人网络(&amp;P)</translation>
        </message>
        <message>
            <source>Read with the network adapted to your handwriting</source>
            <translation>用适应了你笔迹的网络识别</translation>
        </message>
        <message>
            <source>&amp;Evaluate on the Test Set…</source>
            <translation>在测试集上评估(&amp;E)…</translation>
        </message>
        <message>
            <source>Read the 10,000 MNIST test digits: accuracy, confusion matrix, mistakes</source>
            <translation>识别 MNIST 测试集的 10,000 个数字：准确率、混淆矩阵、识别错误的样本</translation>
        </message>
        <message>
            <source>Model &amp;Info…</source>
            <translation>模型信息(&amp;I)…</translation>
        </message>
        <message>
            <source>&amp;About digitpad</source>
            <translation>关于 digitpad(&amp;A)</translation>
        </message>
        <message>
            <source>It Is a {digit}</source>
            <translation>这是 {digit}</translation>
        </message>
        <message>
            <source>Follow the &amp;System</source>
            <translation>跟随系统(&amp;S)</translation>
        </message>
        <message>
            <source>Follow the system's language from the next start of digitpad</source>
            <translation>从 digitpad 下次启动起跟随系统语言</translation>
        </message>
        <message>
            <source>Show the window in {language} from the next start of digitpad</source>
            <translation>从 digitpad 下次启动起，窗口语言为：{language}</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Pen Width</source>
            <translation>笔宽(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Model</source>
            <translation>模型(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>Drawing</source>
            <translation>绘图</translation>
        </message>
        <message>
            <source>Drawing tools</source>
            <translation>绘图工具</translation>
        </message>
        <message>
            <source>Pen</source>
            <translation>画笔</translation>
        </message>
        <message>
            <source>Pen width</source>
            <translation>笔宽</translation>
        </message>
        <message>
            <source>How wide the pen draws, in pixels of the paper</source>
            <translation>画笔的宽度，以纸面像素计</translation>
        </message>
    </context>
    <context>
        <name>Adoption</name>
        <message>
            <source>Kept the current network: the adapted one reads MNIST's test digits {drop:.2f} points worse (at most {allowed:.1f} allowed).</source>
            <extracomment>Fewest kept drawings worth adapting to. Share of each digit's drawings held back by :func:`split_holdout`. Largest acceptable fall in MNIST test accuracy (0.3 percentage points). Largest chance (one-sided) that the adapted network's wins are luck. Folds of the cross-validation (each a full fine-tune: two keep Adapt within about twice its former time).</extracomment>
            <translation>保留当前网络：适应后的网络在 MNIST 测试集上的准确率低了 {drop:.2f} 个百分点（最多允许 {allowed:.1f} 个百分点）。</translation>
        </message>
        <message>
            <source>Kept the current network: the adapted one could not be compared drawing by drawing with it.</source>
            <translation>保留当前网络：无法逐个手写数字地比较适应后的网络与当前网络。</translation>
        </message>
        <message>
            <source>{after:.0%} of your drawings read right by networks that had not seen them (now, learning at once from your corrections: {before:.0%})</source>
            <translation>没见过你的手写数字的网络能正确识别其中的 {after:.0%}（目前，即时从你的纠正中学习：{before:.0%}）</translation>
        </message>
        <message>
            <source>Adopted: {figures}; it reads 1 drawing right that is misread now, and {broken} the other way round.</source>
            <translation>已采用：{figures}；它能正确识别 1 个目前被认错的手写数字，反过来的情况有 {broken} 个。</translation>
        </message>
        <message>
            <source>Adopted: {figures}; it reads {fixed} drawings right that are misread now, and {broken} the other way round.</source>
            <translation>已采用：{figures}；它能正确识别 {fixed} 个目前被认错的手写数字，反过来的情况有 {broken} 个。</translation>
        </message>
        <message>
            <source>it reads {fixed} more right and {broken} more wrong</source>
            <translation>它多认对 {fixed} 个，也多认错 {broken} 个</translation>
        </message>
        <message>
            <source>{fixed} more right and {broken} more wrong could be chance ({p:.0%} likely by luck alone; at most {significance:.0%} accepted)</source>
            <translation>多认对 {fixed} 个、多认错 {broken} 个可能只是偶然（纯属运气的可能性为 {p:.0%}；最多接受 {significance:.0%}）</translation>
        </message>
        <message>
            <source>it reads more right, but is less sure of the right digits</source>
            <translation>它认对的更多，但对正确数字的把握更小</translation>
        </message>
        <message>
            <source>Kept the current network: the adapted one is not clearly better: {why}. {figures}.</source>
            <translation>保留当前网络：适应后的网络并没有明显更好：{why}。{figures}。</translation>
        </message>
    </context>
    <context>
        <name>Application</name>
        <message>
            <source>Something went wrong</source>
            <extracomment>digitpad owns no domain; ``.invalid`` is reserved for names that must not resolve. The desktop entry's name without ``.desktop`` (resources/digitpad.desktop).</extracomment>
            <translation>出错了</translation>
        </message>
        <message>
            <source>digitpad ran into an unexpected problem and carried on.</source>
            <translation>digitpad 遇到了一个意外问题，已继续运行。</translation>
        </message>
    </context>
    <context>
        <name>ComparisonChart</name>
        <message>
            <source>Runs compared</source>
            <extracomment>Each range is widened by this share of it on both sides. A hovered point this close (pixels) to a curve names its run.</extracomment>
            <translation>训练记录对比</translation>
        </message>
        <message>
            <source>{run}: loss {value} at epoch {epoch}</source>
            <translation>{run}：第 {epoch} 轮处损失 {value}</translation>
        </message>
        <message>
            <source>{run}: accuracy {value} at epoch {epoch}</source>
            <translation>{run}：第 {epoch} 轮处准确率 {value}</translation>
        </message>
        <message>
            <source>loss (smoothed, per batch)</source>
            <translation>损失（平滑，逐批次）</translation>
        </message>
        <message>
            <source>accuracy (smoothed, per batch)</source>
            <translation>准确率（平滑，逐批次）</translation>
        </message>
        <message>
            <source>epoch</source>
            <translation>轮</translation>
        </message>
        <message>
            <source>No curves drawn.</source>
            <translation>未绘制曲线。</translation>
        </message>
        <message>
            <source>Smoothed loss and accuracy per batch, against epochs, of: {runs}.</source>
            <translation>以下训练记录逐批次的平滑损失和准确率（横轴为训练轮数）：{runs}。</translation>
        </message>
    </context>
    <context>
        <name>CorrectionRecorder</name>
        <message>
            <source>The adapted network reads your drawings better; it is in use now.</source>
            <extracomment>How many recently kept drawings a new answer for the same drawing replaces (a number's digits are kept one by one, and each may be answered again). What an adaptation's outcome leads with in a language other than English (the training's own sentence, ``summary["reason"]``, is English and follows).</extracomment>
            <translation>适应后的网络能更好地识别你的手写数字，现已启用。</translation>
        </message>
        <message>
            <source>The adapted network was not clearly better; the current network stays in use.</source>
            <translation>适应后的网络没有明显更好，继续使用当前网络。</translation>
        </message>
        <message>
            <source>Changed: kept as a {digit}.</source>
            <translation>已更改：保存为 {digit}。</translation>
        </message>
        <message>
            <source>Thanks: kept as a {digit} (it was read as {read}).</source>
            <translation>谢谢：已保存为 {digit}（原先识别为 {read}）。</translation>
        </message>
        <message>
            <source>Kept as a {digit}.</source>
            <translation>已保存为 {digit}。</translation>
        </message>
        <message>
            <source>{opening} {progress}</source>
            <translation>{opening}{progress}</translation>
        </message>
        <message>
            <source>{count} of your drawings kept; {more} more and Model &gt; Adapt to My Handwriting can learn from them.</source>
            <translation>已保存你的 {count} 个手写数字；再保存 {more} 个，“模型 &gt; 适应我的笔迹”就能从中学习。</translation>
        </message>
        <message>
            <source>{count} of your drawings kept: Model &gt; Adapt to My Handwriting learns from them.</source>
            <translation>已保存你的 {count} 个手写数字：“模型 &gt; 适应我的笔迹”会从中学习。</translation>
        </message>
        <message>
            <source>Your drawings: {trained} learnt from, {held} held back to check.</source>
            <translation>你的手写数字：{trained} 个用于学习，{held} 个留作检验。</translation>
        </message>
        <message>
            <source>Held-back drawings read right: {before} before, {after} after.</source>
            <translation>留作检验的手写数字识别正确率：之前 {before}，之后 {after}。</translation>
        </message>
        <message>
            <source>MNIST test digits read right: {before} before, {after} after.</source>
            <translation>MNIST 测试集数字识别正确率：之前 {before}，之后 {after}。</translation>
        </message>
        <message>
            <source>Took {seconds} s.</source>
            <translation>用时 {seconds} 秒。</translation>
        </message>
        <message>
            <source>Adapted to your handwriting</source>
            <translation>已适应你的笔迹</translation>
        </message>
        <message>
            <source>Model &gt; Use Base Network switches back at any time; your personal network stays saved.</source>
            <translation>随时可以用“模型 &gt; 使用基础网络”切换回去；你的个人网络仍会保存。</translation>
        </message>
        <message>
            <source>It could not be saved and is in use until digitpad closes: {error}</source>
            <translation>它无法保存，将一直使用到 digitpad 关闭：{error}</translation>
        </message>
        <message>
            <source>Kept the current network</source>
            <translation>保留当前网络</translation>
        </message>
        <message>
            <source>More corrected drawings (five or more of each digit you write differently) give adapting more to learn from.</source>
            <translation>纠正更多手写数字（你写法不同的每个数字各五个或更多），适应时就能学到更多。</translation>
        </message>
    </context>
    <context>
        <name>Dialogs</name>
        <message>
            <source>MNIST (*.npz *.gz *-ubyte);;All files (*)</source>
            <extracomment>The file filter of "MNIST file" (translated where shown).</extracomment>
            <translation>MNIST (*.npz *.gz *-ubyte);;所有文件 (*)</translation>
        </message>
        <message>
            <source>The memory is off while the network is still learning; your kept drawings count again once the training ends.</source>
            <translation>网络仍在训练，记忆暂时关闭；训练结束后，你保存的手写数字会重新生效。</translation>
        </message>
        <message>
            <source>The memory is off until a network is loaded; it then holds your kept drawings.</source>
            <translation>加载网络之前记忆处于关闭状态；加载后它会记住你保存的手写数字。</translation>
        </message>
        <message>
            <source>The memory holds no drawings yet; each drawing you correct changes the next readings at once.</source>
            <translation>记忆中还没有手写数字；你纠正的每个手写数字都会立即影响接下来的识别。</translation>
        </message>
        <message>
            <source>The memory holds 1 drawing; it changes the next readings at once.</source>
            <translation>记忆中有 1 个手写数字；它会立即影响接下来的识别。</translation>
        </message>
        <message>
            <source>The memory holds {count} drawings; each one changes the next readings at once.</source>
            <translation>记忆中有 {count} 个手写数字；每一个都会立即影响接下来的识别。</translation>
        </message>
        <message>
            <source>{text} Readings you let stand (shown sure, cleared without a correction): {count}.</source>
            <translation>{text} 你认可的识别结果（显示为确定、未更正就清除）：{count} 个。</translation>
        </message>
        <message>
            <source>Yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>MNIST is not available</source>
            <translation>无法获取 MNIST</translation>
        </message>
        <message>
            <source>digitpad needs the MNIST handwritten digits once, to train its network, and could not get them.</source>
            <translation>digitpad 需要用一次 MNIST 手写数字数据来训练网络，但没能获取到。</translation>
        </message>
        <message>
            <source>{reason}

Choose a folder holding LeCun's four MNIST files, or a Keras mnist.npz file.</source>
            <translation>{reason}

请选择存放 LeCun 的四个 MNIST 文件的文件夹，或一个 Keras 的 mnist.npz 文件。</translation>
        </message>
        <message>
            <source>Choose &amp;Folder…</source>
            <translation>选择文件夹(&amp;F)…</translation>
        </message>
        <message>
            <source>Choose F&amp;ile…</source>
            <translation>选择文件(&amp;I)…</translation>
        </message>
        <message>
            <source>Folder with the MNIST files</source>
            <translation>存放 MNIST 文件的文件夹</translation>
        </message>
        <message>
            <source>MNIST file</source>
            <translation>MNIST 文件</translation>
        </message>
        <message>
            <source>Model info</source>
            <translation>模型信息</translation>
        </message>
        <message>
            <source>Last training run, per epoch</source>
            <translation>上一次训练，逐轮数据</translation>
        </message>
        <message>
            <source>Training &amp;Chart…</source>
            <translation>训练图表(&amp;C)…</translation>
        </message>
        <message>
            <source>Show the loss and accuracy curves of the last training run</source>
            <translation>显示上一次训练的损失和准确率曲线</translation>
        </message>
        <message>
            <source>The network is still learning.</source>
            <translation>网络仍在训练中。</translation>
        </message>
        <message>
            <source>Its first training run is not done.</source>
            <translation>第一次训练尚未完成。</translation>
        </message>
        <message>
            <source>No model is loaded yet.</source>
            <translation>尚未加载模型。</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <source>LeNet ({architecture})</source>
            <translation>LeNet（{architecture}）</translation>
        </message>
        <message>
            <source>Accuracy</source>
            <translation>准确率</translation>
        </message>
        <message>
            <source>{accuracy} on the {count} MNIST test digits</source>
            <translation>在 {count} 个 MNIST 测试数字上为 {accuracy}</translation>
        </message>
        <message>
            <source>Test loss</source>
            <translation>测试损失</translation>
        </message>
        <message>
            <source>Trained</source>
            <translation>训练时间</translation>
        </message>
        <message>
            <source>Recipe</source>
            <translation>训练方案</translation>
        </message>
        <message>
            <source>Epochs completed</source>
            <translation>已完成轮数</translation>
        </message>
        <message>
            <source>Training time</source>
            <translation>训练耗时</translation>
        </message>
        <message>
            <source>MNIST source</source>
            <translation>MNIST 来源</translation>
        </message>
        <message>
            <source>Versions</source>
            <translation>版本</translation>
        </message>
        <message>
            <source>Weights file</source>
            <translation>权重文件</translation>
        </message>
        <message>
            <source>not saved</source>
            <translation>未保存</translation>
        </message>
        <message>
            <source>This model could not be saved; it is used until the app closes.</source>
            <translation>此模型无法保存；将一直使用到应用关闭。</translation>
        </message>
        <message>
            <source>On</source>
            <translation>开启</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>{state}. {sentence}</source>
            <translation>{state}。{sentence}</translation>
        </message>
        <message>
            <source>{text} The test-set report reads with the network alone.</source>
            <translation>{text}测试集报告只用网络本身识别。</translation>
        </message>
        <message>
            <source>Personal memory</source>
            <translation>个人记忆</translation>
        </message>
        <message>
            <source>Adapted to</source>
            <translation>适应对象</translation>
        </message>
        <message>
            <source>your handwriting: {count} drawings</source>
            <translation>你的笔迹：{count} 个手写数字</translation>
        </message>
        <message>
            <source>Your held-back drawings</source>
            <translation>你留作检验的手写数字</translation>
        </message>
        <message>
            <source>{before} read right before, {after} after ({count} drawings)</source>
            <translation>之前识别正确 {before}，之后 {after}（{count} 个手写数字）</translation>
        </message>
        <message>
            <source>Base network's accuracy</source>
            <translation>基础网络的准确率</translation>
        </message>
        <message>
            <source>Not sure below</source>
            <translation>低于此概率时显示“不确定”</translation>
        </message>
        <message>
            <source>{threshold} (not calibrated: an older model)</source>
            <translation>{threshold}（未校准：旧版模型）</translation>
        </message>
        <message>
            <source>{threshold} calibrated probability (temperature {temperature}, fitted on {count} held-out images)</source>
            <translation>校准后的概率 {threshold}（温度 {temperature}，在 {count} 张留出图像上拟合）</translation>
        </message>
        <message>
            <source>Held-out pen writers</source>
            <translation>留出的手写笔书写者</translation>
        </message>
        <message>
            <source>"?" for {unsure}; the rest {right} right</source>
            <translation>{unsure} 显示“?”；其余的 {right} 正确</translation>
        </message>
        <message>
            <source>1 epoch</source>
            <translation>1 轮</translation>
        </message>
        <message>
            <source>{count} epochs</source>
            <translation>{count} 轮</translation>
        </message>
        <message>
            <source>batch {size}</source>
            <translation>批大小 {size}</translation>
        </message>
        <message>
            <source>augmentation</source>
            <translation>数据增强</translation>
        </message>
        <message>
            <source>first {count} images</source>
            <translation>前 {count} 张图像</translation>
        </message>
        <message>
            <source>, </source>
            <translation>，</translation>
        </message>
        <message>
            <source>{minutes} min {seconds} s</source>
            <translation>{minutes} 分 {seconds} 秒</translation>
        </message>
        <message>
            <source>{seconds} s</source>
            <translation>{seconds} 秒</translation>
        </message>
    </context>
    <context>
        <name>DrawingCanvas</name>
        <message>
            <source>Drawing paper</source>
            <extracomment>The side of the square the tests' and benchmarks' strokes are written in (see :meth:`DrawingCanvas.square`). Smallest paper in logical pixels. Pen widths offered to the user (logical pixels). After a stroke, the drawing is repainted in one pass this much later, once its reading is in (the reading then has both cores to itself).</extracomment>
            <translation>绘图纸面</translation>
        </message>
        <message>
            <source>Write a digit or a number with the mouse, a pen or a finger. Right-click a digit to show its bars.</source>
            <extracomment>The area that takes ink, in widget coordinates. The pen's diameter in logical pixels.</extracomment>
            <translation>用鼠标、手写笔或手指写一个数字或一个数。右键单击某个数字可显示它的概率条。</translation>
        </message>
        <message>
            <source>{earlier}; {later}</source>
            <translation>{earlier}；{later}</translation>
        </message>
        <message>
            <source>{description} Saliency overlay: {legend}.</source>
            <translation>{description}显著性图：{legend}。</translation>
        </message>
        <message>
            <source>Write a digit or a number here</source>
            <translation>在这里写一个数字或一个数</translation>
        </message>
        <message>
            <source>orange: ink that made it read {digit}</source>
            <translation>橙色：使网络识别为 {digit} 的墨迹</translation>
        </message>
        <message>
            <source>blue: ink that argued against {digit}</source>
            <translation>蓝色：不支持识别为 {digit} 的墨迹</translation>
        </message>
    </context>
    <context>
        <name>EvaluationDialog</name>
        <message>
            <source>1 image of {digit} read right</source>
            <extracomment>At most this many images are listed for one cell (the most confident first).</extracomment>
            <translation>1 张 {digit} 的图像识别正确</translation>
        </message>
        <message>
            <source>{count} images of {digit} read right</source>
            <translation>{count} 张 {digit} 的图像识别正确</translation>
        </message>
        <message>
            <source>1 image of {digit} read as {read}</source>
            <translation>1 张 {digit} 的图像被识别为 {read}</translation>
        </message>
        <message>
            <source>{count} images of {digit} read as {read}</source>
            <translation>{count} 张 {digit} 的图像被识别为 {read}</translation>
        </message>
        <message>
            <source>Confusion matrix</source>
            <translation>混淆矩阵</translation>
        </message>
        <message>
            <source>Rows are the true digits, columns what they were read as; the diagonal is read right. The arrow keys move to another cell and list its images.</source>
            <translation>行是真实数字，列是识别结果；对角线上是识别正确的。用方向键移到另一个单元格并列出其中的图像。</translation>
        </message>
        <message>
            <source>read as →</source>
            <translation>识别为 →</translation>
        </message>
        <message>
            <source>true digit</source>
            <translation>真实数字</translation>
        </message>
        <message>
            <source>{read} · {confidence}</source>
            <translation>{read} · {confidence}</translation>
        </message>
        <message>
            <source>Test image #{index}: a {label}, read as {read} with {confidence} confidence</source>
            <translation>测试图像 #{index}：真实为 {label}，以 {confidence} 的置信度识别为 {read}</translation>
        </message>
        <message>
            <source>Test-set report</source>
            <translation>测试集报告</translation>
        </message>
        <message>
            <source>Test-set figures</source>
            <translation>测试集数据</translation>
        </message>
        <message>
            <source>Confusion &amp;matrix: rows are the true digits, columns what they were read as. The diagonal (blue) is read right; the other cells (red) are misreadings.</source>
            <translation>混淆矩阵(&amp;M)：行是真实数字，列是识别结果。对角线（蓝色）是识别正确的；其他单元格（红色）是识别错误的。</translation>
        </message>
        <message>
            <source>Test images of the selected cell</source>
            <translation>所选单元格的测试图像</translation>
        </message>
        <message>
            <source>Most confident m&amp;istakes (label → read as, confidence)</source>
            <translation>最有把握的错误(&amp;I)（标签 → 识别为，置信度）</translation>
        </message>
        <message>
            <source>Most confident mistakes</source>
            <translation>最有把握的错误</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>{accuracy} of {count} MNIST test digits read right · loss {loss} · {wrong} misread</source>
            <translation>{count} 个 MNIST 测试数字中识别正确 {accuracy} · 损失 {loss} · 识别错误 {wrong} 个</translation>
        </message>
        <message>
            <source>{figures} · {note}</source>
            <translation>{figures} · {note}</translation>
        </message>
        <message>
            <source>{label}→{read} {confidence}</source>
            <translation>{label}→{read} {confidence}</translation>
        </message>
        <message>
            <source>{cell} (the {shown} most confident shown)</source>
            <translation>{cell}（显示置信度最高的 {shown} 张）</translation>
        </message>
        <message>
            <source>Click a cell (or use the arrow keys) to see its test images.</source>
            <translation>点击一个单元格（或使用方向键）查看其中的测试图像。</translation>
        </message>
    </context>
    <context>
        <name>Experiments</name>
        <message>
            <source>Keras networks (*.keras *.h5);;All files (*)</source>
            <extracomment>The Open Network dialog's file filter (translated where it is shown).</extracomment>
            <translation>Keras 网络 (*.keras *.h5);;所有文件 (*)</translation>
        </message>
        <message>
            <source>&amp;Model</source>
            <translation>模型(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>Retrain &amp;Settings…</source>
            <translation>重新训练设置(&amp;S)…</translation>
        </message>
        <message>
            <source>Train the network again with settings you choose</source>
            <translation>用你选择的设置重新训练网络</translation>
        </message>
        <message>
            <source>Try &amp;Learning Rates…</source>
            <translation>尝试学习率(&amp;L)…</translation>
        </message>
        <message>
            <source>Train briefly with several learning rates and compare them</source>
            <translation>用几个学习率分别做短暂训练并加以比较</translation>
        </message>
        <message>
            <source>R&amp;uns…</source>
            <translation>训练记录(&amp;U)…</translation>
        </message>
        <message>
            <source>Every training kept, compared side by side</source>
            <translation>保存的每次训练，并排比较</translation>
        </message>
        <message>
            <source>Open &amp;Network…</source>
            <translation>打开网络(&amp;N)…</translation>
        </message>
        <message>
            <source>Import a network trained with the article's code</source>
            <translation>导入用文章代码训练的网络</translation>
        </message>
        <message>
            <source>A training is already going on; try again when it ends.</source>
            <translation>已有训练正在进行；请在它结束后再试。</translation>
        </message>
        <message>
            <source>Trying learning rate {rate} ({index} of {count})…</source>
            <translation>正在尝试学习率 {rate}（第 {index} 个，共 {count} 个）…</translation>
        </message>
        <message>
            <source>Learning rates tried: none converged.</source>
            <translation>学习率已尝试完毕：没有一个收敛。</translation>
        </message>
        <message>
            <source>Learning rates tried: fastest to converge {rate}.</source>
            <translation>学习率已尝试完毕：收敛最快的是 {rate}。</translation>
        </message>
        <message>
            <source>Open a network trained with the article's code</source>
            <translation>打开用文章代码训练的网络</translation>
        </message>
        <message>
            <source>Network not imported</source>
            <translation>网络未导入</translation>
        </message>
        <message>
            <source>Network imported</source>
            <translation>网络已导入</translation>
        </message>
        <message>
            <source>{network}: {mnist} on MNIST test, {pen} on pendigits-test.</source>
            <translation>{network}：MNIST 测试集准确率 {mnist}，pendigits 测试集准确率 {pen}。</translation>
        </message>
        <message>
            <source>{network}: {mnist} on MNIST test, pendigits-test unknown.</source>
            <translation>{network}：MNIST 测试集准确率 {mnist}，pendigits 测试集准确率未知。</translation>
        </message>
        <message>
            <source>Use it now? (It is kept as a run either way: Model &gt; Runs…)</source>
            <translation>现在就使用它吗？（无论如何它都会作为训练记录保存：模型 &gt; 训练记录…）</translation>
        </message>
        <message>
            <source>Layers without weights were not read (their code never runs): {layers}.</source>
            <translation>没有权重的层未被读取（它们的代码从不运行）：{layers}。</translation>
        </message>
        <message>
            <source>Wait for the training to end, then use the run's network.</source>
            <translation>请等训练结束，再使用该训练记录的网络。</translation>
        </message>
        <message>
            <source>Switching to the run's network…</source>
            <translation>正在切换到该训练记录的网络…</translation>
        </message>
        <message>
            <source>Could not use the run's network: {error}</source>
            <translation>无法使用该运行的网络：{error}</translation>
        </message>
        <message>
            <source>Could not use the run's network</source>
            <translation>无法使用该训练记录的网络</translation>
        </message>
        <message>
            <source>{error}

The network in use stays.</source>
            <translation>{error}

继续使用当前网络。</translation>
        </message>
        <message>
            <source>A training is going on; try again when it ends.</source>
            <translation>训练正在进行；请在它结束后再试。</translation>
        </message>
        <message>
            <source>Could not start</source>
            <translation>无法开始</translation>
        </message>
        <message>
            <source>The training process could not be started ({error}).</source>
            <translation>无法启动训练进程（{error}）。</translation>
        </message>
        <message>
            <source>Cancelled; the rates tried so far are kept as runs.</source>
            <translation>已取消；已尝试的学习率都已作为训练记录保存。</translation>
        </message>
        <message>
            <source>Cancelled; the network in use stays.</source>
            <translation>已取消；继续使用当前网络。</translation>
        </message>
        <message>
            <source>Failed: {message}</source>
            <translation>失败：{message}</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>失败</translation>
        </message>
        <message>
            <source>The training process stopped unexpectedly ({reason}).</source>
            <translation>训练进程意外停止（{reason}）。</translation>
        </message>
    </context>
    <context>
        <name>InferenceWorker</name>
        <message>
            <source>no model is loaded yet</source>
            <extracomment>Saliency timings kept (for benchmarks and tests). Reference digits embedded per step (about 17 ms): readings asked for meanwhile wait for one step at most. Where and how long saliency was computed (tests and benchmarks): the thread's name and ident, and each computation's milliseconds.</extracomment>
            <translation>尚未加载模型</translation>
        </message>
    </context>
    <context>
        <name>LadderDialog</name>
        <message>
            <source>converged</source>
            <extracomment>What became of each rate, in words (translated where shown).</extracomment>
            <translation>收敛</translation>
        </message>
        <message>
            <source>oscillated</source>
            <translation>振荡</translation>
        </message>
        <message>
            <source>diverged</source>
            <translation>发散</translation>
        </message>
        <message>
            <source>Try Learning Rates</source>
            <translation>尝试学习率</translation>
        </message>
        <message>
            <source>Learning rates</source>
            <translation>学习率</translation>
        </message>
        <message>
            <source>The learning rates to try, separated by commas</source>
            <translation>要尝试的学习率，用逗号分隔</translation>
        </message>
        <message>
            <source>MNIST images</source>
            <translation>MNIST 图像数</translation>
        </message>
        <message>
            <source>How many MNIST training images each rate trains on</source>
            <translation>每个学习率使用多少张 MNIST 训练图像</translation>
        </message>
        <message>
            <source>Epochs</source>
            <translation>训练轮数</translation>
        </message>
        <message>
            <source>How many passes over the images each rate trains</source>
            <translation>每个学习率在这些图像上训练多少轮</translation>
        </message>
        <message>
            <source>&lt;b&gt;How the verdict is reached.&lt;/b&gt; {rule}</source>
            <translation>&lt;b&gt;结论如何得出。&lt;/b&gt;{rule}</translation>
        </message>
        <message>
            <source>How the verdict is reached</source>
            <translation>结论如何得出</translation>
        </message>
        <message>
            <source>Each rate trains the article's recipe (RMSprop, batch 32) from the same start, on the same images.</source>
            <translation>每个学习率都用文章的配方（RMSprop，批大小 32）从同一起点、在同样的图像上训练。</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Verdict</source>
            <translation>结论</translation>
        </message>
        <message>
            <source>Each rate's loss and accuracy curves are drawn here as it trains.</source>
            <translation>每个学习率训练时，其损失和准确率曲线会画在这里。</translation>
        </message>
        <message>
            <source>Learning rates compared</source>
            <translation>学习率对比</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>开始</translation>
        </message>
        <message>
            <source>Train once with each learning rate</source>
            <translation>用每个学习率各训练一次</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Stop the trainings; the rates tried so far are kept</source>
            <translation>停止训练；已尝试的学习率会保留</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>&amp;Learning rates:</source>
            <translation>学习率(&amp;L)：</translation>
        </message>
        <message>
            <source>MNIST &amp;images:</source>
            <translation>MNIST 图像数(&amp;I)：</translation>
        </message>
        <message>
            <source>&amp;Epochs:</source>
            <translation>训练轮数(&amp;E)：</translation>
        </message>
        <message>
            <source>Type the learning rates as numbers separated by commas, e.g. 0.01, 0.003</source>
            <translation>请把学习率输入为用逗号分隔的数字，例如 0.01, 0.003</translation>
        </message>
        <message>
            <source>Type at least one learning rate, e.g. 0.01, 0.003</source>
            <translation>请至少输入一个学习率，例如 0.01, 0.003</translation>
        </message>
        <message>
            <source>A learning rate is more than 0 and at most 1 ({rate} is not).</source>
            <translation>学习率须大于 0 且不超过 1（{rate} 不符合）。</translation>
        </message>
        <message>
            <source>Each learning rate may be tried once.</source>
            <translation>每个学习率只能试一次。</translation>
        </message>
        <message>
            <source>Trying {count} learning rates…</source>
            <translation>正在尝试 {count} 个学习率…</translation>
        </message>
        <message>
            <source>Learning rate {rate} ({index} of {count}): {run}</source>
            <translation>学习率 {rate}（第 {index} 个，共 {count} 个）：{run}</translation>
        </message>
        <message>
            <source>Learning rate {rate}: {accuracy} on MNIST test</source>
            <translation>学习率 {rate}：MNIST 测试集准确率 {accuracy}</translation>
        </message>
        <message>
            <source>Learning rate {rate}: {accuracy} on MNIST test (not kept: {error})</source>
            <translation>学习率 {rate}：MNIST 测试集准确率 {accuracy}（未保存：{error}）</translation>
        </message>
        <message>
            <source>&lt;b&gt;{rate}&lt;/b&gt;: {outcome} — fastest ({reason}); {accuracy} on MNIST test</source>
            <translation>&lt;b&gt;{rate}&lt;/b&gt;：{outcome}，最快（{reason}）；MNIST 测试集准确率 {accuracy}</translation>
        </message>
        <message>
            <source>&lt;b&gt;{rate}&lt;/b&gt;: {outcome} ({reason}); {accuracy} on MNIST test</source>
            <translation>&lt;b&gt;{rate}&lt;/b&gt;：{outcome}（{reason}）；MNIST 测试集准确率 {accuracy}</translation>
        </message>
        <message>
            <source>&lt;b&gt;No rate converged:&lt;/b&gt; try smaller ones.</source>
            <translation>&lt;b&gt;没有学习率收敛：&lt;/b&gt;请尝试更小的学习率。</translation>
        </message>
        <message>
            <source>&lt;b&gt;Converged fastest: {rate}.&lt;/b&gt;</source>
            <translation>&lt;b&gt;收敛最快：{rate}。&lt;/b&gt;</translation>
        </message>
        <message>
            <source>Done: each rate is kept as a run (Model &gt; Runs…).</source>
            <translation>完成：每个学习率都已作为训练记录保存（模型 &gt; 训练记录…）。</translation>
        </message>
        <message>
            <source>{rate} ({outcome})</source>
            <translation>{rate}（{outcome}）</translation>
        </message>
        <message>
            <source>lr {rate}</source>
            <translation>学习率 {rate}</translation>
        </message>
    </context>
    <context>
        <name>LadderRule</name>
        <message>
            <source>Each rate's batch losses are cut into {windows} equal windows and averaged per window. Diverged: a loss is not a number, or the last window's loss is not below the first window's, or it is above {chance:.2f} (guessing among ten digits). Oscillated: a window's loss is more than {start_rise:.0%} above the first batch's (it jumped up before coming down), or a later window's loss rises more than {rise:.0%} and more than {margin} above the best window before it. Fastest: of the rates that did neither, the lowest mean loss over the whole run (the area under its loss curve: the sooner the loss came down, the smaller it is).</source>
            <extracomment>Each curve is cut into this many equal windows of batches. A window's mean loss this much above the best earlier window (relatively and absolutely) went back up. Every rate sees the same batches in the same order, so a window of harder images lifts them all a little (+30%, +0.05 was measured on the article's recipe): that is not oscillation. Batches whose mean loss is where a run started (the first batch's loss is measured before any update: ~2.30 for every rate, as they share a seed). A window's mean loss this much above where the run started: it blew up first. ln(10): the loss of a network that guesses among ten digits. The rule :func:`judge` applies, in words for the user.</extracomment>
            <translation>每个学习率的批次损失被分成 {windows} 个等长的窗口，并按窗口求平均。发散：损失不是数值，或最后一个窗口的损失不低于第一个窗口，或高于 {chance:.2f}（在十个数字中随机猜测的损失）。振荡：某个窗口的损失比第一个批次高出 {start_rise:.0%} 以上（先上升再下降），或后面某个窗口的损失比它之前最好的窗口高出 {rise:.0%} 以上且高出 {margin} 以上。最快：在既未发散也未振荡的学习率中，整个训练过程平均损失最低的那个（即损失曲线下的面积：损失下降得越早，面积越小）。</translation>
        </message>
        <message>
            <source>its loss is not a number</source>
            <translation>它的损失不是数值</translation>
        </message>
        <message>
            <source>final loss {last:.2f} is worse than guessing</source>
            <translation>最终损失 {last:.2f} 比随机猜测还差</translation>
        </message>
        <message>
            <source>the loss did not come down ({first:.2f} to {last:.2f})</source>
            <translation>损失没有下降（从 {first:.2f} 到 {last:.2f}）</translation>
        </message>
        <message>
            <source>the loss jumped from {start:.2f} to {peak:.2f} in window {window} of {windows}</source>
            <translation>损失在第 {window} 个窗口（共 {windows} 个）从 {start:.2f} 跳升到 {peak:.2f}</translation>
        </message>
        <message>
            <source>the loss went back up {rise:.0%} in window {window} of {windows}</source>
            <translation>损失在第 {window} 个窗口（共 {windows} 个）回升了 {rise:.0%}</translation>
        </message>
        <message>
            <source>loss {first:.2f} to {last:.2f}, mean {mean:.3f}</source>
            <translation>损失从 {first:.2f} 降到 {last:.2f}，平均 {mean:.3f}</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>The network reads</source>
            <translation>网络识别为</translation>
        </message>
        <message>
            <source>Reading</source>
            <translation>识别结果</translation>
        </message>
        <message>
            <source>Why the network is not sure</source>
            <translation>网络不确定的原因</translation>
        </message>
        <message>
            <source>A digit is marked not sure when the network gives it less than a 90% chance (calibrated on drawings it never trained on); it is still the best reading. "?" stands where there is no digit at all (a scribble, a blob).</source>
            <translation>网络给某个数字的概率低于 90%（在它从未训练过的手写上校准）时，该数字被标为“不确定”，但它仍是最佳识别结果。“?”只出现在根本没有数字的地方（乱涂、墨团）。</translation>
        </message>
        <message>
            <source>still learning</source>
            <translation>仍在学习</translation>
        </message>
        <message>
            <source>The network is being trained; it reads with what it has learnt so far.</source>
            <translation>网络正在训练中；它用目前学到的内容进行识别。</translation>
        </message>
        <message>
            <source>What the model sees (28 × 28)</source>
            <translation>模型看到的图像（28 × 28）</translation>
        </message>
        <message>
            <source>Reading panel</source>
            <translation>识别面板</translation>
        </message>
        <message>
            <source>Paper and reading</source>
            <translation>纸面与识别结果</translation>
        </message>
        <message>
            <source>Status bar</source>
            <translation>状态栏</translation>
        </message>
        <message>
            <source>Network in use</source>
            <translation>正在使用的网络</translation>
        </message>
        <message>
            <source>Reading summary</source>
            <translation>识别摘要</translation>
        </message>
        <message>
            <source>Training progress</source>
            <translation>训练进度</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Cancel training</source>
            <translation>取消训练</translation>
        </message>
        <message>
            <source>Network: what each layer computes</source>
            <translation>网络：每一层计算的内容</translation>
        </message>
        <message>
            <source>Training</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>Training chart</source>
            <translation>训练图表</translation>
        </message>
        <message>
            <source>Docked views</source>
            <translation>停靠视图</translation>
        </message>
        <message>
            <source>Images</source>
            <extracomment>Height the network view and training chart docks open with. Room left on the screen for the window's frame (title bar and borders). The reading panel is never made shorter than this to fit a short screen.</extracomment>
            <translation>图像</translation>
        </message>
        <message>
            <source>All files</source>
            <translation>所有文件</translation>
        </message>
        <message>
            <source>&amp;Network View</source>
            <translation>网络视图(&amp;N)</translation>
        </message>
        <message>
            <source>Show what each layer of the network computes</source>
            <translation>显示网络每一层计算的内容</translation>
        </message>
        <message>
            <source>&amp;Training Chart</source>
            <translation>训练图表(&amp;T)</translation>
        </message>
        <message>
            <source>Show the loss and accuracy of the training run</source>
            <translation>显示本次训练的损失和准确率</translation>
        </message>
        <message>
            <source>Cannot open the image</source>
            <translation>无法打开图像</translation>
        </message>
        <message>
            <source>The image could not be read.</source>
            <translation>无法读取该图像。</translation>
        </message>
        <message>
            <source>No digit found in {name}: the image is blank.</source>
            <translation>{name} 中没有找到数字：图像是空白的。</translation>
        </message>
        <message>
            <source>The language could not be saved ({path} cannot be written): the next start of digitpad will not change it.</source>
            <translation>无法保存语言设置（{path} 无法写入）：下次启动 digitpad 时界面语言不会改变。</translation>
        </message>
        <message>
            <source>The window will be in {language} from the next start of digitpad.</source>
            <translation>从 digitpad 下次启动起，窗口语言为：{language}。</translation>
        </message>
        <message>
            <source>The window will follow the system's language from the next start of digitpad.</source>
            <translation>从 digitpad 下次启动起，窗口语言将跟随系统。</translation>
        </message>
        <message>
            <source>Train a new network now? It takes a few minutes; you can draw meanwhile.</source>
            <translation>现在训练一个新网络吗？这需要几分钟，期间你可以继续手写。</translation>
        </message>
        <message>
            <source>The saved model is damaged</source>
            <translation>保存的模型已损坏</translation>
        </message>
        <message>
            <source>The saved network failed its integrity check and was not loaded.</source>
            <translation>保存的网络未通过完整性检查，没有被加载。</translation>
        </message>
        <message>
            <source>Retrain</source>
            <translation>重新训练</translation>
        </message>
        <message>
            <source>Model &gt; Retrain… trains a new one.</source>
            <translation>“模型 &gt; 重新训练…”会训练一个新网络。</translation>
        </message>
        <message>
            <source>Could not load the model</source>
            <translation>无法加载模型</translation>
        </message>
        <message>
            <source>The network could not be loaded.</source>
            <translation>无法加载网络。</translation>
        </message>
        <message>
            <source>The model could not be saved</source>
            <translation>无法保存模型</translation>
        </message>
        <message>
            <source>The new network is in use, but it could not be saved and will be lost when digitpad closes.</source>
            <translation>新网络已在使用中，但无法保存，digitpad 关闭后它将丢失。</translation>
        </message>
        <message>
            <source>New network trained: {accuracy} on MNIST test</source>
            <translation>新网络训练完成：MNIST 测试集准确率 {accuracy}</translation>
        </message>
        <message>
            <source>The new network reads worse</source>
            <translation>新网络的识别效果更差</translation>
        </message>
        <message>
            <source>The new network reads {new} of the MNIST test digits; the one in use reads {old}.</source>
            <translation>新网络在 MNIST 测试集上的准确率为 {new}；正在使用的网络为 {old}。</translation>
        </message>
        <message>
            <source>The network in use stays unless you choose otherwise; the new one is kept as 'candidate' (digitpad use candidate puts it in use later).</source>
            <translation>除非你另作选择，否则继续使用当前网络；新网络保存为 'candidate'（之后可用 digitpad use candidate 启用它）。</translation>
        </message>
        <message>
            <source>Use the New One</source>
            <translation>使用新网络</translation>
        </message>
        <message>
            <source>Keep the One in Use</source>
            <translation>保留当前网络</translation>
        </message>
        <message>
            <source>Kept the network in use ({accuracy}).</source>
            <translation>已保留当前网络（{accuracy}）。</translation>
        </message>
        <message>
            <source>No MNIST copy: Model &gt; Retrain… tries again.</source>
            <translation>没有 MNIST 副本：“模型 &gt; 重新训练…”可以再试一次。</translation>
        </message>
        <message>
            <source>Could not evaluate</source>
            <translation>无法评估</translation>
        </message>
        <message>
            <source>The test-set report could not be made.</source>
            <translation>无法生成测试集报告。</translation>
        </message>
        <message>
            <source>Cannot retrain</source>
            <translation>无法重新训练</translation>
        </message>
        <message>
            <source>The training settings are invalid.</source>
            <translation>训练设置无效。</translation>
        </message>
        <message>
            <source>Recipe: {recipe}.</source>
            <translation>训练配置：{recipe}。</translation>
        </message>
        <message>
            <source>The current model keeps reading your drawings until the new one is trained, checked and saved. You can cancel at any time.</source>
            <translation>在新模型训练、检查并保存完成之前，当前模型会继续识别你的手写。你可以随时取消。</translation>
        </message>
        <message>
            <source>Retrain the network?</source>
            <translation>重新训练网络？</translation>
        </message>
        <message>
            <source>Train a new network on MNIST?</source>
            <translation>在 MNIST 上训练一个新网络？</translation>
        </message>
        <message>
            <source>Open a digit image</source>
            <translation>打开数字图像</translation>
        </message>
        <message>
            <source>Save the drawing</source>
            <translation>保存绘图</translation>
        </message>
        <message>
            <source>PNG image</source>
            <translation>PNG 图像</translation>
        </message>
        <message>
            <source>Cannot save the drawing</source>
            <translation>无法保存绘图</translation>
        </message>
        <message>
            <source>Could not write {path} ({error}).</source>
            <translation>无法写入 {path}（{error}）。</translation>
        </message>
        <message>
            <source>Nothing on disk was changed. Check that the folder is writable and the disk has room, then save again.</source>
            <translation>磁盘上的文件没有任何改动。请检查文件夹是否可写、磁盘是否还有空间，然后再保存一次。</translation>
        </message>
        <message>
            <source>&lt;p&gt;Draw a digit; a LeNet convolutional network trained on MNIST reads it as you draw.&lt;/p&gt;&lt;p&gt;The small square shows the 28 × 28 image the network actually sees: your drawing cropped, scaled into a 20 × 20 box and centred by its centre of mass, the way MNIST was made.&lt;/p&gt;&lt;p&gt;MIT licence.&lt;/p&gt;</source>
            <translation>&lt;p&gt;写一个数字，一个在 MNIST 上训练的 LeNet 卷积神经网络会在你书写时识别它。&lt;/p&gt;&lt;p&gt;小方框显示的是网络实际看到的 28 × 28 图像：你的手写经过裁剪，缩放到 20 × 20 的框内，并按质心居中，与 MNIST 的制作方式相同。&lt;/p&gt;&lt;p&gt;MIT 许可证。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>About digitpad</source>
            <translation>关于 digitpad</translation>
        </message>
    </context>
    <context>
        <name>Messages</name>
        <message>
            <source>{lead} ({detail})</source>
            <extracomment>The languages the window speaks: code -&gt; the language's own name. The settings key of View &gt; Language ("" or missing: follow the system).</extracomment>
            <translation>{lead}（{detail}）</translation>
        </message>
    </context>
    <context>
        <name>ModelInputView</name>
        <message>
            <source>What the model sees</source>
            <translation>模型看到的图像</translation>
        </message>
        <message>
            <source>The 28 × 28 pixel image the network reads: the selected digit, scaled and centred, white ink on black</source>
            <translation>网络读取的 28 × 28 像素图像：所选数字经缩放并居中，黑底白色墨迹</translation>
        </message>
        <message>
            <source>blank</source>
            <translation>空白</translation>
        </message>
    </context>
    <context>
        <name>ModelSession</name>
        <message>
            <source>Your personal network could not be used; the base network reads instead.</source>
            <extracomment>What the window says when the network in use (the personal one) could not be loaded and the base network reads instead. The loader's own English sentence (:attr:`digitpad.net.saved_models.LoadedModel.note`) says why; another language leads with this and keeps the sentence as the detail.</extracomment>
            <translation>无法使用你的个人网络，已改用基础网络识别。</translation>
        </message>
        <message>
            <source>Still learning: predictions come from the network being trained</source>
            <extracomment>TensorFlow and the cached network are loading no network (nothing cached, or it was damaged) predictions come from a training run's snapshot a trained, verified network is in use loading failed for another reason Reads each drawing with the network in use.</extracomment>
            <translation>仍在学习：预测来自正在训练的网络</translation>
        </message>
        <message>
            <source>Partly trained network (training stopped): Model &gt; Retrain… to finish</source>
            <translation>网络只训练了一部分（训练已停止）：用“模型 &gt; 重新训练…”完成训练</translation>
        </message>
        <message>
            <source>Loading the network…</source>
            <translation>正在加载网络…</translation>
        </message>
        <message>
            <source>No model yet: training the first one</source>
            <translation>还没有模型：正在训练第一个</translation>
        </message>
        <message>
            <source>No model: Model &gt; Retrain… trains one</source>
            <translation>没有模型：用“模型 &gt; 重新训练…”训练一个</translation>
        </message>
        <message>
            <source>{state} — {job}</source>
            <translation>{state} — {job}</translation>
        </message>
        <message>
            <source>Could not use the new weights: {error}</source>
            <translation>无法使用新的权重：{error}</translation>
        </message>
        <message>
            <source>Switching network…</source>
            <translation>正在切换网络…</translation>
        </message>
        <message>
            <source>Preparing training…</source>
            <translation>正在准备训练…</translation>
        </message>
        <message>
            <source>Preparing to adapt…</source>
            <translation>正在准备适应你的笔迹…</translation>
        </message>
        <message>
            <source>Training failed</source>
            <translation>训练失败</translation>
        </message>
        <message>
            <source>The training process could not be started ({error}).</source>
            <translation>无法启动训练进程（{error}）。</translation>
        </message>
        <message>
            <source>The new network cannot be saved ({problem}); it will read only until you close digitpad.</source>
            <translation>新网络无法保存（{problem}）；它只在你关闭 digitpad 之前用于识别。</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
        <message>
            <source>Training ({recipe})…</source>
            <translation>正在训练（{recipe}）…</translation>
        </message>
        <message>
            <source>Training {recipe}</source>
            <translation>训练 {recipe}</translation>
        </message>
        <message>
            <source>Adapting to your handwriting {percent}</source>
            <translation>正在适应你的笔迹 {percent}</translation>
        </message>
        <message>
            <source>Adapting to your handwriting {percent} · ETA {time}</source>
            <translation>正在适应你的笔迹 {percent} · 预计剩余 {time}</translation>
        </message>
        <message>
            <source>Training {percent} · epoch {epoch}/{epochs}</source>
            <translation>正在训练 {percent} · 第 {epoch}/{epochs} 轮</translation>
        </message>
        <message>
            <source>Training {percent} · epoch {epoch}/{epochs} · ETA {time}</source>
            <translation>正在训练 {percent} · 第 {epoch}/{epochs} 轮 · 预计剩余 {time}</translation>
        </message>
        <message>
            <source>done: {accuracy} on the test set</source>
            <translation>完成：测试集准确率 {accuracy}</translation>
        </message>
        <message>
            <source>done</source>
            <translation>完成</translation>
        </message>
        <message>
            <source>The training had finished when it was cancelled; the new network is kept as 'candidate' and the network in use stays.</source>
            <translation>取消时训练已经完成；新网络已保存为“candidate”（候选），当前使用的网络保持不变。</translation>
        </message>
        <message>
            <source>Switching to the new network…</source>
            <translation>正在切换到新网络…</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>Adapting cancelled; the current model stays.</source>
            <translation>已取消适应笔迹；当前模型保持不变。</translation>
        </message>
        <message>
            <source>Training cancelled; the current model stays.</source>
            <translation>已取消训练；当前模型保持不变。</translation>
        </message>
        <message>
            <source>Adapting failed</source>
            <translation>适应笔迹失败</translation>
        </message>
        <message>
            <source>The network could not be adapted to your handwriting: {error}

The current model, if any, stays in use.</source>
            <translation>无法让网络适应你的笔迹：{error}

当前模型（如有）继续使用。</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>失败</translation>
        </message>
        <message>
            <source>{error}

The current model, if any, stays in use.</source>
            <translation>训练未能完成：{error}

当前模型（如有）继续使用。</translation>
        </message>
        <message>
            <source>Adapting stopped unexpectedly ({reason}).</source>
            <translation>适应笔迹意外中止（{reason}）。</translation>
        </message>
        <message>
            <source>Training stopped unexpectedly ({reason}).</source>
            <translation>训练意外中止（{reason}）。</translation>
        </message>
        <message>
            <source>Reading the {count} MNIST test digits…</source>
            <translation>正在识别 {count} 个 MNIST 测试数字…</translation>
        </message>
        <message>
            <source>a partly trained network (still learning)</source>
            <translation>部分训练的网络（仍在学习）</translation>
        </message>
        <message>
            <source>{count} epoch</source>
            <translation>{count} 轮</translation>
        </message>
        <message>
            <source>{count} epochs</source>
            <translation>{count} 轮</translation>
        </message>
        <message>
            <source>{name}: {epochs}, batch {batch_size}, {optimizer} {schedule}</source>
            <translation>{name}：{epochs}，批大小 {batch_size}，{optimizer} {schedule}</translation>
        </message>
        <message>
            <source>{recipe} + augmentation</source>
            <translation>{recipe} + 数据增强</translation>
        </message>
        <message>
            <source>{recipe} + real pen digits</source>
            <translation>{recipe} + 真实笔写数字</translation>
        </message>
        <message>
            <source>{recipe}, first {count} images</source>
            <translation>{recipe}，前 {count} 张图像</translation>
        </message>
    </context>
    <context>
        <name>MyDigitsDialog</name>
        <message>
            <source>&lt;b&gt;No samples of your handwriting yet.&lt;/b&gt;&lt;br&gt;&lt;br&gt;When digitpad misreads a drawing, type the right digit (0–9) or click its bar: the drawing is kept here. With a few samples of each digit, digitpad can learn your handwriting.</source>
            <extracomment>Thumbnail side in logical pixels: the 28 x 28 input at 2x. Space around each thumbnail (room for the selection frame). Below this many samples a digit teaches the model little. Up to this many drawings not read yet are read at once; more are read in a thread (1,500 took 0.26 s to read and verify, the GUI thread frozen). How often the dialog looks whether the thread has read them, in milliseconds. Problems listed in the dialog; the rest are counted. The header of an empty store (translated where shown).</extracomment>
            <translation>&lt;b&gt;还没有你的笔迹样本。&lt;/b&gt;&lt;br&gt;&lt;br&gt;digitpad 识别错手写数字时，输入正确的数字（0–9）或点击它的概率条：这个手写数字就会保存在这里。每个数字有几个样本后，digitpad 就能学习你的笔迹。</translation>
        </message>
        <message>
            <source>1 sample</source>
            <translation>1 个样本</translation>
        </message>
        <message>
            <source>{count} samples</source>
            <translation>{count} 个样本</translation>
        </message>
        <message>
            <source>1 stroke</source>
            <translation>1 笔</translation>
        </message>
        <message>
            <source>{count} strokes</source>
            <translation>{count} 笔</translation>
        </message>
        <message>
            <source>Samples of the digit {digit}</source>
            <translation>数字 {digit} 的样本</translation>
        </message>
        <message>
            <source>Arrow keys move, Shift or Ctrl extend the selection, Delete removes it</source>
            <translation>方向键移动，Shift 或 Ctrl 扩展选择，Delete 删除所选</translation>
        </message>
        <message>
            <source>My Digits</source>
            <translation>我的数字</translation>
        </message>
        <message>
            <source>Your kept drawings</source>
            <translation>你保存的手写数字</translation>
        </message>
        <message>
            <source>Personal memory</source>
            <translation>个人记忆</translation>
        </message>
        <message>
            <source>Skipped sample files</source>
            <translation>跳过的样本文件</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>&amp;Delete</source>
            <translation>删除(&amp;D)</translation>
        </message>
        <message>
            <source>Delete the selected samples (Delete key)</source>
            <translation>删除所选样本（Delete 键）</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>&amp;Forget Readings Let Stand</source>
            <translation>忘记认可的识别结果(&amp;F)</translation>
        </message>
        <message>
            <source>Forget the readings you let stand (shown sure, cleared without a correction); your corrected drawings stay</source>
            <translation>忘记你认可的识别结果（显示为确定、未更正就清除）；你更正过的手写数字会保留</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Deleted 1 sample.</source>
            <translation>已删除 1 个样本。</translation>
        </message>
        <message>
            <source>Deleted {count} samples.</source>
            <translation>已删除 {count} 个样本。</translation>
        </message>
        <message>
            <source>{done} {error}</source>
            <translation>{done}{error}</translation>
        </message>
        <message>
            <source>{count} selected</source>
            <translation>已选择 {count} 个</translation>
        </message>
        <message>
            <source>Reading your kept drawings…</source>
            <translation>正在读取你保存的手写数字…</translation>
        </message>
        <message>
            <source>Digit {digit}</source>
            <translation>数字 {digit}</translation>
        </message>
        <message>
            <source>No samples of {digit} yet.</source>
            <translation>还没有 {digit} 的样本。</translation>
        </message>
        <message>
            <source>an opened image</source>
            <translation>打开的图像</translation>
        </message>
        <message>
            <source>A {digit}, kept {when} ({strokes})</source>
            <translation>数字 {digit}，保存于 {when}（{strokes}）</translation>
        </message>
        <message>
            <source>Sample of {digit}, {when}</source>
            <translation>{digit} 的样本，{when}</translation>
        </message>
        <message>
            <source>1 sample of your handwriting.</source>
            <translation>你的笔迹样本共 1 个。</translation>
        </message>
        <message>
            <source>{count} samples of your handwriting.</source>
            <translation>你的笔迹样本共 {count} 个。</translation>
        </message>
        <message>
            <source>Digits with fewer than {count} samples teach the model little (now: {digits}).</source>
            <translation>样本少于 {count} 个的数字对模型帮助不大（目前：{digits}）。</translation>
        </message>
        <message>
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <source>Select samples and press Delete to remove drawings you do not want to teach.</source>
            <translation>选择样本后按 Delete，可删除你不想用来教学的手写数字。</translation>
        </message>
        <message>
            <source>… and {count} more.</source>
            <translation>……还有 {count} 个。</translation>
        </message>
        <message>
            <source>1 sample file was skipped.</source>
            <translation>跳过了 1 个样本文件。</translation>
        </message>
        <message>
            <source>{count} sample files were skipped.</source>
            <translation>跳过了 {count} 个样本文件。</translation>
        </message>
        <message>
            <source>Damaged files are moved aside and never used (folder: {folder}).</source>
            <translation>损坏的文件已移到一旁，不会被使用（文件夹：{folder}）。</translation>
        </message>
    </context>
    <context>
        <name>NetworkView</name>
        <message>
            <source>output</source>
            <extracomment>The title of the output section (translated where it is painted).</extracomment>
            <translation>输出</translation>
        </message>
        <message>
            <source>input 28×28</source>
            <extracomment>Colour scale exponent: activations are sparse, a root shows the weak ones.</extracomment>
            <translation>输入 28×28</translation>
        </message>
        <message>
            <source>conv1 · 20 maps 24×24</source>
            <translation>conv1 · 20 张特征图 24×24</translation>
        </message>
        <message>
            <source>conv2 + pool · 50 maps 6×6</source>
            <translation>conv2 + 池化 · 50 张特征图 6×6</translation>
        </message>
        <message>
            <source>fc1 · 500</source>
            <translation>fc1 · 500 个单元</translation>
        </message>
        <message>
            <source>Network view</source>
            <translation>网络视图</translation>
        </message>
        <message>
            <source>{layer} map {number}</source>
            <translation>{layer} 第 {number} 张特征图</translation>
        </message>
        <message>
            <source>{layer} map {number} · peak {peak}</source>
            <translation>{layer} 第 {number} 张特征图 · 峰值 {peak}</translation>
        </message>
        <message>
            <source>{layer} unit {number}</source>
            <translation>{layer} 第 {number} 个单元</translation>
        </message>
        <message>
            <source>{layer} unit {number} · {value}</source>
            <translation>{layer} 第 {number} 个单元 · {value}</translation>
        </message>
        <message>
            <source>output {digit}</source>
            <translation>输出 {digit}</translation>
        </message>
        <message>
            <source>output {digit} · {percent}</source>
            <translation>输出 {digit} · {percent}</translation>
        </message>
        <message>
            <source>What each layer of the network computes for the drawing</source>
            <translation>神经网络的每一层对这个手写数字的计算结果</translation>
        </message>
        <message>
            <source>{description}. Output: most likely {digit}, {percent}</source>
            <translation>{description}。输出：最可能是 {digit}，{percent}</translation>
        </message>
        <message>
            <source>Hover over a map to name it. Black = no activation; brighter (purple, orange, pale yellow) = stronger.</source>
            <translation>将鼠标悬停在特征图上可显示其名称。黑色 = 无激活；越亮（紫色、橙色、淡黄色）= 激活越强。</translation>
        </message>
        <message>
            <source>Draw a digit to see what each layer computes.</source>
            <translation>写一个数字，看看每一层计算出什么。</translation>
        </message>
        <message>
            <source>output (still learning)</source>
            <translation>输出（仍在学习）</translation>
        </message>
    </context>
    <context>
        <name>PredictionBars</name>
        <message>
            <source>Prediction</source>
            <extracomment>Keys that move the framed row, and by how much (Home and End: to the ends). Keys that choose the framed row, as a click on it does. The user clicked the row of this digit, or chose it with the keyboard (to say the drawing is that digit).</extracomment>
            <translation>预测</translation>
        </message>
        <message>
            <source>Misread? Click the right digit (or type it, or choose it with the arrow keys and Space) to keep the drawing as an example of your handwriting.</source>
            <translation>认错了？点击正确的数字（或直接输入，或用方向键选中后按空格键），把这幅画保存为你的笔迹样例。</translation>
        </message>
        <message>
            <source>No prediction</source>
            <translation>无预测</translation>
        </message>
        <message>
            <source>How likely the drawing is a {digit}</source>
            <translation>手写数字是 {digit} 的概率</translation>
        </message>
        <message>
            <source>{digit}: {percent}</source>
            <translation>{digit}：{percent}</translation>
        </message>
        <message>
            <source>{digit}: no prediction</source>
            <translation>{digit}：无预测</translation>
        </message>
        <message>
            <source>Most likely {digit}, {percent}</source>
            <extracomment>The ten probabilities shown, or ``[]`` (read-only).</extracomment>
            <translation>最可能是 {digit}，{percent}</translation>
        </message>
        <message>
            <source>{description} (the network is still learning)</source>
            <translation>{description}（网络仍在学习）</translation>
        </message>
        <message>
            <source>{description}. Chosen row {row}; Space keeps the drawing as a {digit}</source>
            <translation>{description}。已选行 {row}；按空格键把这幅画保存为 {digit}</translation>
        </message>
        <message>
            <source>less than 1 percent</source>
            <translation>不到百分之一</translation>
        </message>
        <message>
            <source>{percent} percent</source>
            <translation>百分之{percent}</translation>
        </message>
    </context>
    <context>
        <name>Reading</name>
        <message>
            <source>looks like a filled blob, not a digit</source>
            <extracomment>While drawing, readings are asked for at most this often. A reading in flight is dropped for a newer, final one (a stroke ended) only when a reading was shown this recently: under strokes that come faster than readings, readings still come. Why the shape check finds no digit (``digitpad.drawing.shape_check``'s reasons that make a "?"), for translation where they are shown.</extracomment>
            <translation>看起来像一团实心墨块，不是数字</translation>
        </message>
        <message>
            <source>looks like several digits or a scribble, not one digit</source>
            <translation>看起来像几个数字或一团乱涂，不是一个数字</translation>
        </message>
        <message>
            <source>looks like a scribble, not a digit</source>
            <translation>看起来像乱涂，不是数字</translation>
        </message>
        <message>
            <source>not sure: {top} or {second}?</source>
            <translation>不确定：是 {top} 还是 {second}？</translation>
        </message>
        <message>
            <source>{earlier}; {later}</source>
            <translation>{earlier}；{later}</translation>
        </message>
        <message>
            <source>Reads {number}, not sure</source>
            <translation>识别为 {number}，不确定</translation>
        </message>
        <message>
            <source>Reads {number}, {percent} percent</source>
            <translation>识别为 {number}，概率 {percent}%</translation>
        </message>
        <message>
            <source>Reads {number}</source>
            <translation>识别为 {number}</translation>
        </message>
        <message>
            <source>Reads {number}; not sure of the {digits}</source>
            <translation>识别为 {number}；不确定其中的 {digits}</translation>
        </message>
        <message>
            <source>{earlier}, {later}</source>
            <translation>{earlier}、{later}</translation>
        </message>
        <message>
            <source>{position}th digit: {note}</source>
            <translation>第 {position} 位数字：{note}</translation>
        </message>
        <message>
            <source>{position}st digit: {note}</source>
            <translation>第 {position} 位数字：{note}</translation>
        </message>
        <message>
            <source>{position}nd digit: {note}</source>
            <translation>第 {position} 位数字：{note}</translation>
        </message>
        <message>
            <source>{position}rd digit: {note}</source>
            <translation>第 {position} 位数字：{note}</translation>
        </message>
        <message>
            <source>Could not read the drawing: {message}</source>
            <translation>无法识别手写内容：{message}</translation>
        </message>
    </context>
    <context>
        <name>ReadingLabel</name>
        <message>
            <source>Reading</source>
            <extracomment>The colour of a digit the network is not sure of. A reading is announced once it has been shown this long, in milliseconds. Qt 6.8+ only (PySide6 &gt;= 6.6 is supported). Keys that select the digit before or after, and those that select the first or last.</extracomment>
            <translation>识别结果</translation>
        </message>
        <message>
            <source>Nothing read yet</source>
            <translation>尚未识别任何内容</translation>
        </message>
        <message>
            <source>What the network reads. A digit it is not sure of is shown in orange and named in the note below. Click a digit (or use the arrow keys) to see its bars.</source>
            <translation>网络识别的结果。没有把握的数字显示为橙色，并在下方注明。点击某个数字（或用方向键）查看它的概率条。</translation>
        </message>
        <message>
            <source>{summary}; digit {position} of {count} selected: {digit}</source>
            <translation>{summary}；已选中第 {position} 位（共 {count} 位）：{digit}</translation>
        </message>
    </context>
    <context>
        <name>RetrainDialog</name>
        <message>
            <source>The article's recipe</source>
            <extracomment>The names :mod:`digitpad.net.training_settings` gives presets, optimizers and schedules (``PRESETS``, ``OPTIMIZERS``, ``SCHEDULES``), marked for translation; shown through :func:`_choice_text`. A test checks that every name there is marked here.</extracomment>
            <translation>文章中的训练方案</translation>
        </message>
        <message>
            <source>digitpad's default</source>
            <translation>digitpad 的默认方案</translation>
        </message>
        <message>
            <source>RMSprop (the article's)</source>
            <translation>RMSprop（文章所用）</translation>
        </message>
        <message>
            <source>Adam</source>
            <translation>Adam</translation>
        </message>
        <message>
            <source>SGD with momentum 0.9</source>
            <translation>SGD，动量 0.9</translation>
        </message>
        <message>
            <source>constant</source>
            <translation>恒定</translation>
        </message>
        <message>
            <source>one-cycle (warm-up, then cosine decay)</source>
            <translation>单周期（先预热，再余弦衰减）</translation>
        </message>
        <message>
            <source>Retrain Settings</source>
            <translation>重新训练设置</translation>
        </message>
        <message>
            <source>Choosing a preset fills in every field below</source>
            <translation>选择一个预设会填好下面所有字段</translation>
        </message>
        <message>
            <source>The article's way: try 0.01, then a third of it (0.003), 0.001, … (Model &gt; Try Learning Rates… does it for you)</source>
            <translation>文章的做法：先试 0.01，再试它的三分之一（0.003）、0.001……（“模型 &gt; 尝试学习率…”会替你完成）</translation>
        </message>
        <message>
            <source>all {count}</source>
            <translation>全部 {count} 张</translation>
        </message>
        <message>
            <source>How many of the MNIST training images to train on</source>
            <translation>用多少张 MNIST 训练图像来训练</translation>
        </message>
        <message>
            <source>&amp;Distort training images (rotation, zoom, shear, shift)</source>
            <translation>变形训练图像(&amp;D)（旋转、缩放、错切、平移）</translation>
        </message>
        <message>
            <source>Also train on real &amp;pen-drawn digits</source>
            <translation>同时用真实的手写笔数字训练(&amp;P)</translation>
        </message>
        <message>
            <source>Problems with these settings</source>
            <translation>这些设置的问题</translation>
        </message>
        <message>
            <source>&amp;Train</source>
            <translation>训练(&amp;T)</translation>
        </message>
        <message>
            <source>Train a new network with these settings</source>
            <translation>用这些设置训练一个新网络</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>&amp;Start from:</source>
            <translation>起始方案(&amp;S)：</translation>
        </message>
        <message>
            <source>&amp;Optimizer:</source>
            <translation>优化器(&amp;O)：</translation>
        </message>
        <message>
            <source>&amp;Learning rate:</source>
            <translation>学习率(&amp;L)：</translation>
        </message>
        <message>
            <source>Learning-rate s&amp;chedule:</source>
            <translation>学习率调度(&amp;C)：</translation>
        </message>
        <message>
            <source>&amp;Batch size:</source>
            <translation>批大小(&amp;B)：</translation>
        </message>
        <message>
            <source>&amp;Epochs:</source>
            <translation>训练轮数(&amp;E)：</translation>
        </message>
        <message>
            <source>MNIST &amp;images:</source>
            <translation>MNIST 图像数(&amp;I)：</translation>
        </message>
        <message>
            <source>The learning rate {typed} is not a number (type e.g. 0.001).</source>
            <translation>学习率 {typed} 不是数字（请输入例如 0.001）。</translation>
        </message>
        <message>
            <source>The learning rate must be a number above 0 and at most {maximum} (the article tries 0.01, 0.003, 0.001…), not {value}.</source>
            <translation>学习率必须是大于 0 且不超过 {maximum} 的数（文章试了 0.01、0.003、0.001……），而不是 {value}。</translation>
        </message>
        <message>
            <source>The batch size must be a whole number from 1 to {maximum} (the article uses 32), not {value}.</source>
            <translation>批大小必须是 1 到 {maximum} 之间的整数（文章用的是 32），而不是 {value}。</translation>
        </message>
        <message>
            <source>The number of epochs must be a whole number from 1 to {maximum}, not {value}.</source>
            <translation>训练轮数必须是 1 到 {maximum} 之间的整数，而不是 {value}。</translation>
        </message>
    </context>
    <context>
        <name>RunsDialog</name>
        <message>
            <source>When</source>
            <extracomment>The table's headers (translated where shown).</extracomment>
            <translation>时间</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>MNIST test</source>
            <translation>MNIST 测试集</translation>
        </message>
        <message>
            <source>Pen test</source>
            <translation>手写笔测试集</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>用时</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <source>train</source>
            <extracomment>A run's kind, as the Kind column says it (translated where shown).</extracomment>
            <translation>训练</translation>
        </message>
        <message>
            <source>ladder</source>
            <translation>学习率尝试</translation>
        </message>
        <message>
            <source>import</source>
            <translation>导入</translation>
        </message>
        <message>
            <source>Runs</source>
            <translation>训练记录</translation>
        </message>
        <message>
            <source>Every training kept; select runs to compare their curves</source>
            <translation>保存的每次训练；选中训练记录即可比较它们的曲线</translation>
        </message>
        <message>
            <source>Select runs in the table to compare their curves.</source>
            <translation>在表格中选中训练记录，即可比较它们的曲线。</translation>
        </message>
        <message>
            <source>Selected runs compared</source>
            <translation>所选训练记录对比</translation>
        </message>
        <message>
            <source>Damaged runs</source>
            <translation>损坏的训练记录</translation>
        </message>
        <message>
            <source>Runs not kept</source>
            <translation>运行记录未保存</translation>
        </message>
        <message>
            <source>Use this network</source>
            <translation>使用此网络</translation>
        </message>
        <message>
            <source>Read your drawings with the selected run's network</source>
            <translation>用所选训练记录的网络识别你的手写数字</translation>
        </message>
        <message>
            <source>Pin</source>
            <translation>固定</translation>
        </message>
        <message>
            <source>Keep the selected run's network whatever the disk cap</source>
            <translation>无论磁盘上限如何，都保留所选训练记录的网络</translation>
        </message>
        <message>
            <source>Open Network…</source>
            <translation>打开网络…</translation>
        </message>
        <message>
            <source>Import a network trained with the article's code</source>
            <translation>导入用文章代码训练的网络</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Damaged runs, moved aside and not loaded: {runs}</source>
            <translation>损坏的训练记录已移到一旁，未加载：{runs}</translation>
        </message>
        <message>
            <source>New trainings are not kept as runs until this is fixed: {problem}</source>
            <translation>在修正以下问题之前，新的训练不会保存为运行记录：{problem}</translation>
        </message>
        <message>
            <source>Its network was not kept ({why}).</source>
            <translation>它的网络未被保留（{why}）。</translation>
        </message>
        <message>
            <source>dropped</source>
            <translation>已丢弃</translation>
        </message>
        <message>
            <source>Its network is damaged and cannot be used: {why}</source>
            <translation>它的网络已损坏，无法使用：{why}</translation>
        </message>
        <message>
            <source>Unpin</source>
            <translation>取消固定</translation>
        </message>
        <message>
            <source>in use, pinned</source>
            <translation>使用中，已固定</translation>
        </message>
        <message>
            <source>in use</source>
            <translation>使用中</translation>
        </message>
        <message>
            <source>damaged, pinned</source>
            <translation>已损坏，已固定</translation>
        </message>
        <message>
            <source>damaged</source>
            <translation>已损坏</translation>
        </message>
        <message>
            <source>kept, pinned</source>
            <translation>已保留，已固定</translation>
        </message>
        <message>
            <source>kept</source>
            <translation>已保留</translation>
        </message>
        <message>
            <source>dropped, pinned</source>
            <translation>已丢弃，已固定</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <source>{seconds} s</source>
            <translation>{seconds} 秒</translation>
        </message>
        <message>
            <source>{when} {optimizer} lr {rate} batch {batch}</source>
            <translation>{when} {optimizer} 学习率 {rate} 批大小 {batch}</translation>
        </message>
    </context>
    <context>
        <name>SampleFiles</name>
        <message>
            <source>&amp;Export My Digits…</source>
            <extracomment>Progress is shown at most this often (seconds).</extracomment>
            <translation>导出我的数字(&amp;E)…</translation>
        </message>
        <message>
            <source>Save your kept drawings as a dataset: a PNG per drawing in a folder per digit, labels.csv, strokes.jsonl and MNIST-format files</source>
            <translation>把你保存的手写数字存为数据集：每个数字一个文件夹、每个手写数字一个 PNG，外加 labels.csv、strokes.jsonl 和 MNIST 格式文件</translation>
        </message>
        <message>
            <source>&amp;Import Drawings…</source>
            <translation>导入手写数字(&amp;I)…</translation>
        </message>
        <message>
            <source>Add drawings to your kept ones: an exported folder, images named &lt;digit&gt;_&lt;anything&gt;.png, or images in folders named 0 to 9</source>
            <translation>把手写数字添加到已保存的数字中：导出的文件夹、名为 &lt;数字&gt;_&lt;任意&gt;.png 的图像，或放在名为 0 到 9 的文件夹中的图像</translation>
        </message>
        <message>
            <source>Export My Digits Into</source>
            <translation>将我的数字导出到</translation>
        </message>
        <message>
            <source>Exporting your drawings…</source>
            <translation>正在导出你的手写数字…</translation>
        </message>
        <message>
            <source>Import Drawings From</source>
            <translation>从以下位置导入手写数字</translation>
        </message>
        <message>
            <source>Importing drawings…</source>
            <translation>正在导入手写数字…</translation>
        </message>
        <message>
            <source>That did not work: {error}</source>
            <translation>操作失败：{error}</translation>
        </message>
        <message>
            <source>Exported 1 drawing to {folder} ({strokes} with strokes).</source>
            <translation>已将 1 个手写数字导出到 {folder}（{strokes} 个带笔画）。</translation>
        </message>
        <message>
            <source>Exported {count} drawings to {folder} ({strokes} with strokes).</source>
            <translation>已将 {count} 个手写数字导出到 {folder}（{strokes} 个带笔画）。</translation>
        </message>
        <message>
            <source>Importing drawings… {done} of {total}</source>
            <translation>正在导入手写数字… {done} / {total}</translation>
        </message>
        <message>
            <source>Imported 1 drawing</source>
            <translation>已导入 1 个手写数字</translation>
        </message>
        <message>
            <source>Imported {count} drawings</source>
            <translation>已导入 {count} 个手写数字</translation>
        </message>
        <message>
            <source>{count} already kept</source>
            <translation>{count} 个已保存过</translation>
        </message>
        <message>
            <source>{count} skipped ({first})</source>
            <translation>跳过 {count} 个（{first}）</translation>
        </message>
        <message>
            <source>stopped before the end</source>
            <translation>未完成就已停止</translation>
        </message>
        <message>
            <source>; </source>
            <translation>；</translation>
        </message>
        <message>
            <source>{parts}.</source>
            <translation>{parts}。</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
    </context>
    <context>
        <name>Teaching</name>
        <message>
            <source>Write a digit first; then type the digit it is (or click its bar) to teach digitpad your handwriting.</source>
            <translation>请先写一个数字；然后输入它实际是哪个数字（或点击它的概率条），教 digitpad 认识你的笔迹。</translation>
        </message>
        <message>
            <source>You typed {typed} digits; the reading has {read}. Type one digit for the selected one, or the whole number.</source>
            <translation>你输入了 {typed} 个数字，而识别结果有 {read} 个。请为所选数字输入一个数字，或输入整个数。</translation>
        </message>
        <message>
            <source>Thanks: {number} was read right.</source>
            <translation>谢谢：{number} 识别正确。</translation>
        </message>
        <message>
            <source>Could not keep the drawing</source>
            <translation>无法保存手写数字</translation>
        </message>
        <message>
            <source>The drawing was not kept.</source>
            <translation>手写数字没有保存。</translation>
        </message>
        <message>
            <source>Kept {count} corrected digits. {progress}</source>
            <translation>已保存 {count} 个纠正后的数字。{progress}</translation>
        </message>
        <message>
            <source>Learnt: your {digit}. It now reads this drawing as {digit}. {message}</source>
            <translation>已学会：你写的 {digit}。现在这个手写数字被识别为 {digit}。{message}</translation>
        </message>
        <message>
            <source>Adapting needs at least {minimum} of your corrected drawings; there is 1.</source>
            <translation>适应至少需要 {minimum} 个你纠正过的手写数字；目前只有 1 个。</translation>
        </message>
        <message>
            <source>Adapting needs at least {minimum} of your corrected drawings; there are {count}.</source>
            <translation>适应至少需要 {minimum} 个你纠正过的手写数字；目前有 {count} 个。</translation>
        </message>
        <message>
            <source>Not enough of your drawings yet</source>
            <translation>你的手写数字还不够</translation>
        </message>
        <message>
            <source>When digitpad misreads a drawing, type the right digit (0-9) or click its bar: the drawing is kept. Five or more of each digit you write differently work best.</source>
            <translation>digitpad 识别错手写数字时，输入正确的数字（0-9）或点击它的概率条：这个手写数字就会被保存。你写法不同的每个数字各保存五个或更多，效果最好。</translation>
        </message>
        <message>
            <source>Cannot adapt</source>
            <translation>无法适应笔迹</translation>
        </message>
        <message>
            <source>The training settings are invalid.</source>
            <translation>训练设置无效。</translation>
        </message>
        <message>
            <source>Could not forget the readings let stand</source>
            <translation>无法忘记认可的识别结果</translation>
        </message>
        <message>
            <source>Some readings let stand are still kept.</source>
            <translation>部分认可的识别结果仍被保留。</translation>
        </message>
    </context>
    <context>
        <name>TrainingChart</name>
        <message>
            <source>No training run yet: Model &gt; Retrain… trains one and draws it here.</source>
            <extracomment>Redraws happen at most this often (ms), whatever the batch rate. The title before any training run (translated where it is shown).</extracomment>
            <translation>还没有训练记录：模型 &gt; 重新训练… 会训练一次并画在这里。</translation>
        </message>
        <message>
            <source>Training chart</source>
            <translation>训练图表</translation>
        </message>
        <message>
            <source>Loss and accuracy of the latest training, per batch and per epoch; the title line says how it is going.</source>
            <translation>最近一次训练逐批次和逐轮的损失与准确率；标题行显示训练进展。</translation>
        </message>
        <message>
            <source>Training status</source>
            <translation>训练状态</translation>
        </message>
        <message>
            <source>loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <source>accuracy</source>
            <translation>准确率</translation>
        </message>
        <message>
            <source>Loss plot</source>
            <translation>损失图</translation>
        </message>
        <message>
            <source>Accuracy plot</source>
            <translation>准确率图</translation>
        </message>
        <message>
            <source>epoch</source>
            <translation>轮</translation>
        </message>
        <message>
            <source>batch</source>
            <translation>批次</translation>
        </message>
        <message>
            <source>batch (smoothed)</source>
            <translation>批次（平滑）</translation>
        </message>
        <message>
            <source>validation</source>
            <translation>验证</translation>
        </message>
        <message>
            <source>epoch {epoch}: loss {loss}, validation accuracy {accuracy}</source>
            <translation>第 {epoch} 轮：损失 {loss}，验证准确率 {accuracy}</translation>
        </message>
        <message>
            <source>epoch {epoch}: loss {loss}</source>
            <translation>第 {epoch} 轮：损失 {loss}</translation>
        </message>
        <message>
            <source>Training</source>
            <translation>训练</translation>
        </message>
    </context>
    <context>
        <name>TrainingHistory</name>
        <message>
            <source>Epoch</source>
            <extracomment>Smoothing of the per-batch curves (TensorBoard's debiased moving average).</extracomment>
            <translation>轮</translation>
        </message>
        <message>
            <source>Loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <source>Accuracy</source>
            <translation>准确率</translation>
        </message>
        <message>
            <source>Val. loss</source>
            <translation>验证损失</translation>
        </message>
        <message>
            <source>Val. accuracy</source>
            <translation>验证准确率</translation>
        </message>
    </context>
    <context>
        <name>TrainingProcess</name>
        <message>
            <source>Loading MNIST…</source>
            <extracomment>How long a cancelled child gets to stop by itself before it is terminated. How long a terminated child gets before it is killed. The messages that end a job (the child exits right after sending one). What the training process says it is doing (``("phase", text)`` in :mod:`digitpad.net.training_job`, which has no Qt): its fixed texts, each translated when it arrives. Others (a learning rate filled in) stay as sent.</extracomment>
            <translation>正在加载 MNIST…</translation>
        </message>
        <message>
            <source>Preparing real pen-drawn digits…</source>
            <translation>正在准备真实笔写数字…</translation>
        </message>
        <message>
            <source>Preparing the replay images…</source>
            <translation>正在准备回放图像…</translation>
        </message>
        <message>
            <source>Starting TensorFlow…</source>
            <translation>正在启动 TensorFlow…</translation>
        </message>
        <message>
            <source>Saving the model…</source>
            <translation>正在保存模型…</translation>
        </message>
        <message>
            <source>Keeping the run…</source>
            <translation>正在保存训练记录…</translation>
        </message>
        <message>
            <source>Testing on 10,000 MNIST digits…</source>
            <translation>正在用 10,000 个 MNIST 数字测试…</translation>
        </message>
        <message>
            <source>Reading the network's weights…</source>
            <translation>正在读取网络的权重…</translation>
        </message>
        <message>
            <source>Reading your drawings…</source>
            <translation>正在读取你的手写数字…</translation>
        </message>
        <message>
            <source>Saving your personal network…</source>
            <translation>正在保存你的个人网络…</translation>
        </message>
        <message>
            <source>it did not exit</source>
            <translation>进程未退出</translation>
        </message>
        <message>
            <source>exit code {code}</source>
            <translation>退出码 {code}</translation>
        </message>
        <message>
            <source>killed by signal {number}</source>
            <translation>被信号 {number} 终止</translation>
        </message>
        <message>
            <source>killed by {signal} (perhaps out of memory)</source>
            <translation>被 {signal} 终止（可能是内存不足）</translation>
        </message>
        <message>
            <source>killed by {signal}</source>
            <translation>被 {signal} 终止</translation>
        </message>
    </context>
    <context>
        <name>Wording</name>
        <message>
            <source>Your personal LeNet, {accuracy} on MNIST test, adapted {when}</source>
            <translation>你的个人 LeNet，MNIST 测试集准确率 {accuracy}，适应于 {when}</translation>
        </message>
        <message>
            <source>LeNet, {accuracy} on MNIST test, trained {when}</source>
            <translation>LeNet，MNIST 测试集准确率 {accuracy}，训练于 {when}</translation>
        </message>
        <message>
            <source>{status} (not saved)</source>
            <translation>{status}（未保存）</translation>
        </message>
    </context>
</TS>
